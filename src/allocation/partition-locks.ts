import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { ALLOCATION_LOCK_CLASS, RequestGroup, skuPartitionSql } from './partitions';
import { sqlArray } from '../db/sql';

/**
 * The oldest owed requests (at most `scan`), grouped by the transaction that wrote them (`created_at` is its start,
 * `now()`, and unlike `xmin` survives the update that charges a failed batch's requests), each group with
 * the partitions of its SKUs: a SKU request's own, an order request's lines'. Oldest group first. Locks nothing:
 * a request another batch is taking still shows here, and that batch holds its partitions. Also counts the
 * other batches running now.
 */
export async function peekRequestGroups(em: EntityManager, maxAttempts: number, scan: number): Promise<OwedWork> {
  const rows: Array<{ ids: string[]; partitions: number[] | null; others: number }> = await executeBound(
    em,
    `with owed as (select id, created_at as grp, order_id, sku from allocation_request where attempts < ? order by id limit ?),
          parts as (
            select o.id, o.grp, p.part from owed o
            left join lateral (select ${skuPartitionSql('o.sku')} as part where o.sku is not null
                               union select ${skuPartitionSql('l.sku')} from order_line l where l.order_id = o.order_id) p on true)
     select array_agg(distinct id order by id)::text[] as ids,
            array_agg(distinct part order by part) filter (where part is not null) as partitions,
            (select count(distinct pid) from pg_locks where locktype = 'advisory' and granted and classid = ${ALLOCATION_LOCK_CLASS}
               and objsubid = 2 and pid <> pg_backend_pid())::int as others
     from parts group by grp order by min(id)`,
    [maxAttempts, scan],
  );
  return { groups: rows.map((r) => ({ requestIds: r.ids, partitions: r.partitions ?? [] })), otherBatches: rows[0]?.others ?? 0 };
}

export interface OwedWork {
  groups: RequestGroup[];
  /** Batches of other sessions holding partitions now: this batch leaves them their share of the partitions. */
  otherBatches: number;
}

/** Takes each partition's lock that is free now, waiting for none; returns those taken (held until the transaction ends). */
export async function tryLockPartitions(em: EntityManager, partitions: number[]): Promise<number[]> {
  if (partitions.length === 0) return [];
  const [row]: Array<{ taken: number[] | null }> = await executeBound(
    em,
    `select array_agg(p) filter (where pg_try_advisory_xact_lock(?, p)) as taken from unnest(?::int[]) p`,
    [ALLOCATION_LOCK_CLASS, sqlArray(partitions)],
  );
  return row.taken ?? [];
}

/**
 * Waits for each partition's lock in ascending order. Only at the start of a transaction, holding nothing else:
 * a transaction that holds locks never waits for a partition, so no wait can close a cycle.
 */
export async function lockPartitions(em: EntityManager, ascendingPartitions: number[]): Promise<void> {
  if (ascendingPartitions.length === 0) return;
  // unnest yields the array's order, and the aggregate calls the lock function row by row in that order.
  await executeBound(em, `select count(pg_advisory_xact_lock(?, p)) from unnest(?::int[]) p`, [ALLOCATION_LOCK_CLASS, sqlArray(ascendingPartitions)]);
}

/** Deletes (takes) the requests still owed among `ids`; a request another batch took meanwhile is not returned. */
export async function takeRequests(
  em: EntityManager,
  ids: string[],
  maxAttempts: number,
): Promise<Array<{ id: string; order_id: string | null; sku: string | null }>> {
  return executeBound(em, `delete from allocation_request where id = any(?::bigint[]) and attempts < ? returning id::text as id, order_id, sku`, [
    sqlArray(ids),
    maxAttempts,
  ]);
}
