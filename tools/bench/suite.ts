/**
 * Which phases a run does and how big each is: the full table of issue #11 (a few minutes), or `--quick` (under a
 * minute on a quiet machine, the same rows at smaller sizes: a check that everything runs, not figures to quote).
 */

export const PHASES = [
  'pgbench', // TPC-B on the same PostgreSQL, for the ratio orders/s ÷ tps
  'options', // deliveryOptions through tools/bench-options (its own API, worker and database)
  'throughput', // orders/s placed and allocated end to end, CPU ms per order
  'latency', // p99 placed → allocated at a fixed offered rate
  'hot', // many buyers for one scarce SKU
  'receipt', // one goods receipt serving many waiting backorder lines
  'availability', // availability p99 at a fixed request rate
  'subscriptions', // orderUpdated delivery latency to many graphql-ws subscribers
  'workers', // throughput again with more worker processes
  'preloaded', // throughput and latency again with a large order history in the database
] as const;

export type Phase = (typeof PHASES)[number];

export interface Sizes {
  orders: number;
  concurrency: number;
  rate: number;
  seconds: number;
  hotBuyers: number;
  hotUnits: number;
  /** Waiting backorder lines served by the receipt: orders of RECEIPT_LINES_PER_ORDER lines each. */
  receiptLines: number;
  readRate: number;
  readSeconds: number;
  subscribers: number;
  eventRate: number;
  eventSeconds: number;
  preload: number;
  moreWorkers: number;
  pgbenchScale: number;
  pgbenchSeconds: number;
  pgbenchClients: number;
}

export const RECEIPT_LINES_PER_ORDER = 5;

export const FULL: Sizes = {
  orders: 5000,
  concurrency: 64,
  rate: 500,
  seconds: 10,
  hotBuyers: 2000,
  hotUnits: 500,
  receiptLines: 10_000,
  readRate: 500,
  readSeconds: 10,
  subscribers: 1000,
  eventRate: 200,
  eventSeconds: 10,
  preload: 1_000_000,
  moreWorkers: 3,
  pgbenchScale: 10,
  pgbenchSeconds: 10,
  pgbenchClients: 4,
};

export const QUICK: Sizes = {
  orders: 1000,
  concurrency: 64,
  rate: 500,
  seconds: 2,
  hotBuyers: 400,
  hotUnits: 100,
  receiptLines: 1000,
  readRate: 500,
  readSeconds: 2,
  subscribers: 200,
  eventRate: 200,
  eventSeconds: 2,
  preload: 20_000,
  moreWorkers: 3,
  pgbenchScale: 1,
  pgbenchSeconds: 3,
  pgbenchClients: 4,
};

export class UsageError extends Error {}

/** A comma-separated list of phase names; refuses an unknown one. */
export function parsePhaseList(raw: string): Phase[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(PHASES as readonly string[]).includes(name)) throw new UsageError(`unknown phase "${name}"; the phases are ${PHASES.join(', ')}`);
  }
  return names as Phase[];
}

/** `--only` (none: every phase) minus `--skip`, in the order the run does them. */
export function selectPhases(only: string | undefined, skip: string | undefined): Set<Phase> {
  const wanted = only ? new Set(parsePhaseList(only)) : new Set<Phase>(PHASES);
  for (const name of skip ? parsePhaseList(skip) : []) wanted.delete(name);
  return new Set(PHASES.filter((p) => wanted.has(p)));
}
