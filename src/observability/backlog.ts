import type { MikroORM } from '@mikro-orm/postgresql';
import { MAX_ALLOCATION_ATTEMPTS } from '../allocation/allocator';
import { sqlStatusList } from '../db/sql';
import { DEMAND_STATUSES } from '../orders/order-lifecycle';
import { withTimeout } from '../queue/redis';

/** What is waiting, read from the database: the figures an operator alerts on. */
export interface Backlog {
  pendingOrders: number;
  /** Age of the oldest order still PENDING (placed, not yet allocated); 0 when there is none. */
  oldestPendingOrderSeconds: number;
  undeliveredOutboxMessages: number;
  oldestUndeliveredOutboxSeconds: number;
  /** Allocation requests still to be worked on, and the age of the oldest of them. */
  owedAllocationRequests: number;
  oldestOwedAllocationRequestSeconds: number;
  /** Requests whose batches failed MAX_ALLOCATION_ATTEMPTS times: left for a person. */
  setAsideAllocationRequests: number;
  openBackorderLines: number;
  openBackorderUnits: number;
}

/**
 * Each sub-select is served by an index (sales_order status/placed_at, partial ones on outbox and order lines). Quotes'
 * lines are nobody's backorder: only orders that are demand count.
 */
const BACKLOG_SQL = `
select
  (select count(*) from sales_order where status = 'PENDING')::float8 as pending_orders,
  coalesce((select extract(epoch from now() - min(placed_at)) from sales_order where status = 'PENDING'), 0)::float8 as oldest_pending,
  (select count(*) from outbox_message where delivered_at is null)::float8 as outbox_undelivered,
  coalesce((select extract(epoch from now() - created_at) from outbox_message where delivered_at is null order by id limit 1), 0)::float8 as outbox_oldest,
  (select count(*) from allocation_request where attempts < ?)::float8 as requests_owed,
  coalesce((select extract(epoch from now() - min(created_at)) from allocation_request where attempts < ?), 0)::float8 as requests_oldest,
  (select count(*) from allocation_request where attempts >= ?)::float8 as requests_set_aside,
  (select count(*) from order_line l join sales_order o on o.id = l.order_id
   where l.backordered_quantity > 0 and o.status in ${sqlStatusList(DEMAND_STATUSES)})::float8 as backorder_lines,
  coalesce((select sum(l.backordered_quantity) from order_line l join sales_order o on o.id = l.order_id
            where l.backordered_quantity > 0 and o.status in ${sqlStatusList(DEMAND_STATUSES)}), 0)::float8 as backorder_units`;

export async function readBacklog(orm: MikroORM): Promise<Backlog> {
  const [row] = await orm.em.fork().execute(BACKLOG_SQL, [MAX_ALLOCATION_ATTEMPTS, MAX_ALLOCATION_ATTEMPTS, MAX_ALLOCATION_ATTEMPTS]);
  return {
    pendingOrders: Number(row.pending_orders),
    oldestPendingOrderSeconds: Math.max(0, Number(row.oldest_pending)),
    undeliveredOutboxMessages: Number(row.outbox_undelivered),
    oldestUndeliveredOutboxSeconds: Math.max(0, Number(row.outbox_oldest)),
    owedAllocationRequests: Number(row.requests_owed),
    oldestOwedAllocationRequestSeconds: Math.max(0, Number(row.requests_oldest)),
    setAsideAllocationRequests: Number(row.requests_set_aside),
    openBackorderLines: Number(row.backorder_lines),
    openBackorderUnits: Number(row.backorder_units),
  };
}

export interface CachedBacklog {
  /** The last reading if younger than the TTL, else a fresh one; concurrent callers share one query. */
  read(): Promise<{ backlog: Backlog | null; ok: boolean }>;
}

export const BACKLOG_CACHE_MS = 5_000;
const BACKLOG_TIMEOUT_MS = 2_000;

/** A scrape storm costs the database one query per TTL. A failed reading is cached too, and reported as not ok. */
export function cachedBacklog(
  read: () => Promise<Backlog>,
  { ttlMs = BACKLOG_CACHE_MS, clock = Date.now }: { ttlMs?: number; clock?: () => number } = {},
): CachedBacklog {
  let last: { at: number; backlog: Backlog | null; ok: boolean } | null = null;
  let inFlight: Promise<{ backlog: Backlog | null; ok: boolean }> | null = null;
  return {
    read() {
      if (last && clock() - last.at < ttlMs) return Promise.resolve(last);
      inFlight ??= withTimeout(read(), BACKLOG_TIMEOUT_MS, 'backlog query')
        .then(
          (backlog) => ({ backlog, ok: true }),
          () => ({ backlog: last?.backlog ?? null, ok: false }),
        )
        .then((reading) => {
          last = { at: clock(), ...reading };
          inFlight = null;
          return reading;
        });
      return inFlight;
    },
  };
}
