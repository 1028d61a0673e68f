import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * `em.execute` with its parameters bound, not inlined. MikroORM formats every parameter into the SQL text,
 * escaping strings character by character: the allocator's large JSON and array parameters cost its process much
 * CPU that way, and PostgreSQL a long parse. This sends them as bound values (`?` placeholders, as `em.execute`
 * takes) on the em's transaction, with errors converted as MikroORM converts them (DeadlockException, …).
 */
export async function executeBound<T extends object>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const query = em
    .getConnection()
    .getKnex()
    .raw(sql, params.map((p) => (p === undefined ? null : p)) as Knex.RawBinding[]);
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  try {
    const result: { rows: T[] } = await query;
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
