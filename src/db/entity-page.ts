import type { EntityName, FilterQuery, ObjectQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page, PageRequest, pageWindow, toPage } from '../shared/pagination';

/**
 * One page of entities chosen by SQL: `where` filters the table aliased `t`, `orderBy` sorts it. Counts, takes the
 * page's ids in order, then loads those entities (GraphQL field resolvers read the rest through the request's
 * loaders).
 */
export async function pageOfEntities<E extends { id: string }>(
  em: EntityManager,
  entity: EntityName<E>,
  table: string,
  filter: { where: string[]; params: unknown[] },
  orderBy: string,
  page: PageRequest,
): Promise<Page<E>> {
  const window = pageWindow(page);
  const where = filter.where.length > 0 ? filter.where.join(' and ') : 'true';
  const [{ count }] = await em.execute<Array<{ count: number }>>(`select count(*)::int as count from ${table} t where ${where}`, filter.params);
  const ids = await em.execute<Array<{ id: string }>>(`select t.id from ${table} t where ${where} order by ${orderBy} offset ? limit ?`, [
    ...filter.params,
    window.offset,
    window.limit + 1,
  ]);
  // TypeScript cannot map a filter on `id` through FilterQuery of a generic E; `satisfies` checks its shape.
  const byIds = { id: { $in: ids.map((r) => r.id) } } satisfies ObjectQuery<{ id: string }> as unknown as FilterQuery<E>;
  const found = ids.length > 0 ? await em.find(entity, byIds) : [];
  const byId = new Map(found.map((row) => [row.id, row]));
  return toPage(
    ids.map((r) => byId.get(r.id)!),
    window,
    count,
  );
}
