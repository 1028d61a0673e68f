import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import type { Page } from '../../../shared/pagination';

/**
 * Services answer with plain views; the GraphQL field resolvers read entities through the request's loaders.
 * This swaps a page of views for the same page of entities, in order.
 */
export async function hydratePage<T extends { id: string }, E extends { id: string }>(
  em: EntityManager,
  entity: EntityName<E>,
  page: Page<T>,
): Promise<Page<E>> {
  const ids = page.edges.map((e) => e.node.id);
  const found = ids.length > 0 ? await em.find(entity, { id: { $in: ids } } as any) : [];
  const byId = new Map(found.map((row) => [row.id, row]));
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: byId.get(e.node.id)! })) };
}

export async function loadOrThrow<E extends object>(em: EntityManager, entity: EntityName<E>, id: string): Promise<E> {
  return em.findOneOrFail(entity, { id } as any);
}
