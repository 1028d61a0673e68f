import { createHash } from 'node:crypto';

/**
 * Allocation work is partitioned by SKU: stock competes only within a SKU, so batches whose SKUs fall in disjoint
 * partitions can plan and apply at once, each under its partitions' locks. A constant, not a setting: every worker
 * must split the same way, or two of them could hold "different" locks over the same SKU.
 */
export const ALLOCATION_PARTITIONS = 32;

/** The first key of PostgreSQL's two-key advisory locks (`pg_advisory_xact_lock(int, int)`); the second is the partition. */
export const ALLOCATION_LOCK_CLASS = 731_100_421;

/** The partition of a SKU: the first 32 bits of its MD5, so that JavaScript and SQL (`skuPartitionSql`) agree. */
export function skuPartition(sku: string, partitions = ALLOCATION_PARTITIONS): number {
  return parseInt(createHash('md5').update(sku, 'utf8').digest('hex').slice(0, 8), 16) % partitions;
}

/** `skuPartition` as an SQL expression over a text column or expression. */
export function skuPartitionSql(sku: string, partitions = ALLOCATION_PARTITIONS): string {
  return `((('x' || substr(md5(${sku}), 1, 8))::bit(32)::bigint % ${partitions})::int)`;
}

/** Requests written by one transaction (a goods receipt's SKUs, say), planned together; `partitions` ascending. */
export interface RequestGroup {
  requestIds: string[];
  partitions: number[];
}

export const partitionsOfSkus = (skus: Iterable<string>): number[] => ascending(new Set([...skus].map((sku) => skuPartition(sku))));

export const ascending = (partitions: Iterable<number>): number[] => [...new Set(partitions)].sort((a, b) => a - b);

/** The partitions of `needed` not in `held`, ascending. */
export const missingPartitions = (needed: Iterable<number>, held: ReadonlySet<number>): number[] =>
  ascending([...needed].filter((p) => !held.has(p)));

/**
 * Which partitions to try to lock next: walking the groups oldest first, the partitions (not held yet) of as many
 * groups as make up `limit` requests, but never so many that this batch would hold more than `maxHeld` partitions
 * (its share beside the batches of other workers, so that they find some free); the oldest group that can be taken gets its partitions whatever `maxHeld`.
 * A group left out (it touches a busy partition, or is too wide) closes its partitions to younger groups, as
 * `eligibleRequests` does.
 */
export function partitionsToTry(
  groups: RequestGroup[],
  held: ReadonlySet<number>,
  busy: ReadonlySet<number>,
  limit: number,
  maxHeld = ALLOCATION_PARTITIONS,
): number[] {
  const wanted = new Set<number>();
  const closed = new Set<number>();
  let requests = 0;
  for (const group of groups) {
    if (requests >= limit) break;
    const extra = group.partitions.filter((p) => !held.has(p) && !wanted.has(p));
    const blocked = group.partitions.some((p) => busy.has(p) || closed.has(p));
    if (blocked || (requests > 0 && held.size + wanted.size + extra.length > maxHeld)) {
      group.partitions.forEach((p) => closed.add(p));
      continue;
    }
    extra.forEach((p) => wanted.add(p));
    requests += group.requestIds.length;
  }
  return ascending(wanted);
}

/**
 * The requests a batch holding `held` takes: whole groups, oldest first, up to `limit` requests (the first group
 * whole whatever its size: a goods receipt's SKUs are planned, and the receipt settled, in one batch). Within a
 * partition nothing jumps the queue: a group that cannot be taken (one of its partitions is not held, or it does
 * not fit) closes its partitions to every younger group, so the oldest demand of each SKU is served first.
 */
export function eligibleRequests(groups: RequestGroup[], held: ReadonlySet<number>, limit: number): string[] {
  const ids: string[] = [];
  const closed = new Set<number>();
  for (const group of groups) {
    if (ids.length >= limit) break;
    const takeable = group.partitions.every((p) => held.has(p) && !closed.has(p));
    if (!takeable || (ids.length > 0 && ids.length + group.requestIds.length > limit)) {
      group.partitions.forEach((p) => closed.add(p));
      continue;
    }
    ids.push(...group.requestIds);
  }
  return ids;
}
