import { Client } from 'pg';
import { QUOTE_STATUSES, sqlStatusList } from '../../src/orders/order-lifecycle';
import { sleep } from './stats';

/**
 * What the benchmark reads straight from the database: progress (orders still PENDING), latencies from database
 * timestamps, when allocations became visible, how the allocator batched, and what the backends were waiting on.
 */

/** The timeline events that say an order's allocation has been decided. */
const DECIDED = `('ALLOCATED','BACKORDERED','ON_HOLD')`;

export async function connect(url: string, applicationName: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  return client;
}

export async function pendingOrders(db: Client): Promise<number> {
  const { rows } = await db.query(`select count(*)::int as n from sales_order where status = 'PENDING'`);
  return rows[0].n;
}

export interface Backlog {
  pendingOrders: number;
  allocationRequests: number;
  undeliveredOutbox: number;
}

export async function backlog(db: Client): Promise<Backlog> {
  const { rows } = await db.query(
    `select (select count(*)::int from sales_order where status = 'PENDING') as "pendingOrders",
            (select count(*)::int from allocation_request) as "allocationRequests",
            (select count(*)::int from outbox_message where delivered_at is null) as "undeliveredOutbox"`,
  );
  return rows[0];
}

/** Waits until nothing is owed: no PENDING order, no allocation request, no undelivered outbox message. */
export async function waitForQuiet(db: Client, what: string, stallMs = 30_000, isAlive: () => void = () => undefined): Promise<void> {
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    isAlive();
    const b = await backlog(db);
    if (b.pendingOrders === 0 && b.allocationRequests === 0 && b.undeliveredOutbox === 0) return;
    const now = JSON.stringify(b);
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      throw new Error(`${what}: no progress for ${stallMs / 1000} s (${now}); is the worker running?`);
    }
    await sleep(50);
  }
}

export interface OrderTiming {
  key: string;
  /** placed_at, ms since the epoch (database clock). */
  placedMs: number;
  /** First ALLOCATED / BACKORDERED / ON_HOLD event's `at` minus placed_at, ms; null when there is none. */
  eventLatencyMs: number | null;
}

/** Placed→allocated from database timestamps, for the orders whose idempotency key starts with `keyPrefix`. */
export async function orderTimings(db: Client, keyPrefix: string): Promise<Map<string, OrderTiming & { id: string }>> {
  const { rows } = await db.query(
    `select o.id::text as id, o.idempotency_key as key, extract(epoch from o.placed_at) * 1000 as placed_ms,
            extract(epoch from (f.first_at - o.placed_at)) * 1000 as event_ms
     from sales_order o
     left join lateral (select min(e.at) as first_at from order_event e where e.order_id = o.id and e.type in ${DECIDED}) f on true
     where o.idempotency_key like $1`,
    [`${keyPrefix}%`],
  );
  const out = new Map<string, OrderTiming & { id: string }>();
  for (const r of rows) {
    out.set(r.id, { id: r.id, key: r.key, placedMs: Number(r.placed_ms), eventLatencyMs: r.event_ms === null ? null : Number(r.event_ms) });
  }
  return out;
}

export interface AllocatorBatches {
  /** Allocator transactions that decided at least one of the phase's orders (events share their transaction's now()). */
  transactions: number;
  ordersPerTransaction: { mean: number; max: number };
  /** Mean time between the starts of consecutive transactions: about one transaction's duration while the worker is busy. */
  meanGapMs: number | null;
}

export async function allocatorBatches(db: Client, keyPrefix: string): Promise<AllocatorBatches> {
  const { rows } = await db.query(
    `select extract(epoch from e.at) * 1000 as at_ms, count(distinct e.order_id)::int as orders
     from order_event e join sales_order o on o.id = e.order_id
     where o.idempotency_key like $1 and e.type in ${DECIDED}
     group by e.at order by e.at`,
    [`${keyPrefix}%`],
  );
  const orders = rows.map((r) => r.orders as number);
  const gaps = rows.slice(1).map((r, i) => Number(r.at_ms) - Number(rows[i].at_ms));
  return {
    transactions: rows.length,
    ordersPerTransaction: {
      mean: orders.length ? Math.round((orders.reduce((s, n) => s + n, 0) / orders.length) * 10) / 10 : 0,
      max: orders.length ? Math.max(...orders) : 0,
    },
    meanGapMs: gaps.length ? Math.round(gaps.reduce((s, g) => s + g, 0) / gaps.length) : null,
  };
}

/**
 * Watches order_event for newly committed decisions and notes, by the database clock, when each order's first one
 * became visible. The event's own `at` is its transaction's start (now()), which leaves out the time the allocator
 * spent on the batch before committing; this is what a client polling the order would see, late by up to one
 * interval. Event ids are drawn when inserted, not when committed: with several workers (or allocation partitions)
 * a lower id can commit after a higher one was seen, so each poll looks back REREAD_IDS ids behind the watermark.
 */
const REREAD_IDS = 5000;

export class VisibilityWatcher {
  readonly seenMs = new Map<string, number>();
  private watermark = '0';
  private stopped = false;
  private loop: Promise<void> | null = null;
  polls = 0;

  constructor(
    private readonly db: Client,
    private readonly intervalMs = 20,
  ) {}

  async start(): Promise<void> {
    const { rows } = await this.db.query(`select coalesce(max(id), 0)::text as id from order_event`);
    this.watermark = rows[0].id;
    this.loop = this.run();
  }

  /** The first error of the loop, if any (e.g. its connection was closed by a Ctrl-C teardown). */
  error: unknown = null;

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        await this.pollOnce();
        await sleep(this.intervalMs);
      }
    } catch (error) {
      this.error = error;
    }
  }

  async pollOnce(): Promise<void> {
    const { rows } = await this.db.query(
      `select e.id::text as id, e.order_id::text as order_id, extract(epoch from clock_timestamp()) * 1000 as seen_ms
       from order_event e where e.id > $1::bigint - ${REREAD_IDS} and e.type in ${DECIDED} order by e.id`,
      [this.watermark],
    );
    this.polls++;
    for (const r of rows) {
      if (!this.seenMs.has(r.order_id)) this.seenMs.set(r.order_id, Number(r.seen_ms));
      if (BigInt(r.id) > BigInt(this.watermark)) this.watermark = r.id;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.error) throw this.error;
    await this.pollOnce();
  }
}

export interface WaitSample {
  /** application (api, worker, …) / state / wait event */
  key: string;
  share: number;
  /** Average number of backends in this state at any instant. */
  backends: number;
}

/**
 * Samples pg_stat_activity for the benchmark database every `intervalMs`: which connections (by application_name,
 * which the children set through PGAPPNAME) are running, waiting on a lock or on I/O, or idle inside a transaction
 * (waiting on their Node process). Excludes the benchmark's own connections.
 */
export class WaitSampler {
  private counts = new Map<string, number>();
  private samples = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: Client,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        // Sampling is best effort: a failed sample (a connection closed by a Ctrl-C teardown) ends it quietly.
        try {
          await this.sample();
        } catch {
          return;
        }
        await sleep(this.intervalMs);
      }
    })();
  }

  private async sample(): Promise<void> {
    const { rows } = await this.db.query(
      `select replace(coalesce(nullif(application_name, ''), backend_type), 'oms-bench-', '') as app, state,
              coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait
       from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and application_name not like 'bench%'
         and state in ('active', 'idle in transaction')`,
    );
    this.samples++;
    for (const r of rows) {
      const key = r.state === 'idle in transaction' ? `${r.app}: idle in transaction (waiting on its client)` : `${r.app}: ${r.wait}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  async stop(): Promise<{ samples: number; top: WaitSample[] }> {
    this.stopped = true;
    await this.loop;
    const total = [...this.counts.values()].reduce((s, n) => s + n, 0);
    const top = [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([key, n]) => ({
        key,
        share: total ? Math.round((n / total) * 100) : 0,
        backends: Math.round((n / Math.max(1, this.samples)) * 100) / 100,
      }));
    return { samples: this.samples, top };
  }
}

export interface IntegrityCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Runs one check (a query for its violations) and records it in `checks`; returns the violating rows. */
export async function recordCheck(db: Client, checks: IntegrityCheck[], name: string, sql: string, describe: (row: any) => string): Promise<any[]> {
  const { rows } = await db.query(sql);
  checks.push({
    name,
    ok: rows.length === 0,
    detail: rows.length === 0 ? 'ok' : `${rows.length} violation(s), e.g. ${rows.slice(0, 3).map(describe).join('; ')}`,
  });
  return rows;
}

/**
 * The books must balance: never an oversell, every unit of every line accounted for, every lent unit on a loan,
 * every sold loan unit invoiced, no more returned than shipped, nothing left owed.
 */
export async function integrityChecks(db: Client): Promise<IntegrityCheck[]> {
  const checks: IntegrityCheck[] = [];
  const check = (name: string, sql: string, describe: (row: any) => string) => recordCheck(db, checks, name, sql, describe);

  await check(
    'no stock level with reserved > on hand',
    `select s.sku, w.code, s.on_hand_quantity, s.reserved_quantity from stock_level s join warehouse w on w.id = s.warehouse_id
     where s.reserved_quantity > s.on_hand_quantity limit 20`,
    (r) => `${r.sku}@${r.code} reserved ${r.reserved_quantity} > on hand ${r.on_hand_quantity}`,
  );
  await check(
    'reserved = live reservations: ACTIVE PULL here, ACTIVE TRANSFER of a PLANNED transfer from here, and units of a transfer arrived here for ACTIVE allocations',
    `with expected as (
       select a.sku, a.warehouse_code as code, a.quantity from allocation a where a.status = 'ACTIVE' and a.kind = 'PULL'
       union all
       select a.sku, a.source_warehouse_code, a.quantity from allocation a join transfer t on t.id = a.transfer_id
       where a.status = 'ACTIVE' and a.kind = 'TRANSFER' and t.status = 'PLANNED'
       union all
       -- Arrived (whole or in part) and still promised: reserved at the destination until shipped.
       select tl.sku, t.to_warehouse_code, least(tl.received_quantity, coalesce((
         select sum(a.quantity) from allocation a where a.transfer_id = t.id and a.sku = tl.sku and a.status = 'ACTIVE' and a.kind = 'TRANSFER'), 0))::int
       from transfer t join transfer_line tl on tl.transfer_id = t.id where t.status in ('DISPATCHED', 'RECEIVED')
     ), wanted as (select sku, code, sum(quantity)::int as quantity from expected group by sku, code),
     stock as (select s.sku, w.code, s.reserved_quantity from stock_level s join warehouse w on w.id = s.warehouse_id)
     select coalesce(s.sku, e.sku) as sku, coalesce(s.code, e.code) as code, coalesce(s.reserved_quantity, 0) as reserved,
            coalesce(e.quantity, 0) as expected
     from stock s full join wanted e on e.sku = s.sku and e.code = s.code
     where coalesce(s.reserved_quantity, 0) <> coalesce(e.quantity, 0) limit 20`,
    (r) => `${r.sku}@${r.code} reserved ${r.reserved} but reservations say ${r.expected}`,
  );
  await check(
    'every line: quantity = allocated + backordered + shipped + cancelled',
    `select id, quantity, allocated_quantity, backordered_quantity, shipped_quantity, cancelled_quantity from order_line
     where quantity <> allocated_quantity + backordered_quantity + shipped_quantity + cancelled_quantity limit 20`,
    (r) => `line ${r.id}: ${r.quantity} ≠ ${r.allocated_quantity}+${r.backordered_quantity}+${r.shipped_quantity}+${r.cancelled_quantity}`,
  );
  await check(
    'every line: allocated = its ACTIVE PULL + TRANSFER allocations',
    `select l.id, l.allocated_quantity, coalesce(sum(a.quantity), 0)::int as covered
     from order_line l left join allocation a on a.order_line_id = l.id and a.status = 'ACTIVE' and a.kind in ('PULL','TRANSFER')
     group by l.id, l.allocated_quantity having l.allocated_quantity <> coalesce(sum(a.quantity), 0) limit 20`,
    (r) => `line ${r.id}: allocated ${r.allocated_quantity}, allocations ${r.covered}`,
  );
  await check(
    'every line of an order (not a quote): backordered = its ACTIVE WAIT + DROP_SHIP allocations',
    `select l.id, l.backordered_quantity, coalesce(sum(a.quantity), 0)::int as covered
     from order_line l left join allocation a on a.order_line_id = l.id and a.status = 'ACTIVE' and a.kind in ('WAIT','DROP_SHIP')
     where l.order_id not in (select id from sales_order where status in ${sqlStatusList(QUOTE_STATUSES)})
     group by l.id, l.backordered_quantity having l.backordered_quantity <> coalesce(sum(a.quantity), 0) limit 20`,
    (r) => `line ${r.id}: backordered ${r.backordered_quantity}, allocations ${r.covered}`,
  );
  await check(
    'on loan = units still out on loans (lent, not returned nor sold), per SKU and warehouse',
    `with wanted as (
       select ll.sku, l.warehouse_code as code, sum(ll.quantity - ll.returned_quantity - ll.sold_quantity)::int as quantity
       from loan l join loan_line ll on ll.loan_id = l.id group by ll.sku, l.warehouse_code),
     stock as (select s.sku, w.code, s.on_loan_quantity from stock_level s join warehouse w on w.id = s.warehouse_id)
     select coalesce(s.sku, e.sku) as sku, coalesce(s.code, e.code) as code, coalesce(s.on_loan_quantity, 0) as on_loan,
            coalesce(e.quantity, 0) as expected
     from stock s full join wanted e on e.sku = s.sku and e.code = s.code
     where coalesce(s.on_loan_quantity, 0) <> coalesce(e.quantity, 0) limit 20`,
    (r) => `${r.sku}@${r.code} on loan ${r.on_loan} but loans say ${r.expected}`,
  );
  await check(
    'units sold on a loan = units on its LOAN invoices, per loan line (a loan ends sold only by invoiceLoan)',
    `select ll.id, ll.sku, ll.sold_quantity, coalesce(sum(il.quantity), 0)::int as invoiced
     from loan_line ll left join invoice_line il on il.loan_line_id = ll.id
     group by ll.id, ll.sku, ll.sold_quantity having ll.sold_quantity <> coalesce(sum(il.quantity), 0) limit 20`,
    (r) => `loan line ${r.id} (${r.sku}): ${r.sold_quantity} sold, ${r.invoiced} invoiced`,
  );
  await check(
    'every order: units authorised for return <= units shipped, per SKU',
    `select o.number, a.sku, a.authorised, coalesce(sh.shipped, 0) as shipped
     from (select r.order_id, l.sku, sum(l.quantity)::int as authorised from return_authorisation r join return_line l on l.return_id = r.id
           group by r.order_id, l.sku) a
     join sales_order o on o.id = a.order_id
     left join (select order_id, sku, sum(shipped_quantity)::int as shipped from order_line group by order_id, sku) sh
       on sh.order_id = a.order_id and sh.sku = a.sku
     where a.authorised > coalesce(sh.shipped, 0) limit 20`,
    (r) => `SO-${r.number} ${r.sku}: ${r.authorised} authorised for return, ${r.shipped} shipped`,
  );
  await check(
    'no allocation_request left',
    `select id, order_id, sku, attempts, last_error from allocation_request limit 20`,
    (r) => `request ${r.id} (${r.order_id ?? r.sku}, ${r.attempts} attempts${r.last_error ? `: ${String(r.last_error).slice(0, 80)}` : ''})`,
  );
  await check(
    'no undelivered outbox message older than 5 s',
    `select id, kind, created_at from outbox_message where delivered_at is null and created_at < now() - interval '5 seconds' limit 20`,
    (r) => `${r.kind} #${r.id} from ${new Date(r.created_at).toISOString()}`,
  );
  return checks;
}

export interface Outcome {
  orders: number;
  byStatus: Record<string, number>;
  lines: number;
  units: { ordered: number; allocated: number; backordered: number };
  transfers: number;
  suggestedPurchaseOrders: number;
}

/** What the orders came to, for the summary. */
export async function outcome(db: Client, keyPrefix: string): Promise<Outcome> {
  const status = await db.query(`select status, count(*)::int as n from sales_order where idempotency_key like $1 group by status order by status`, [
    `${keyPrefix}%`,
  ]);
  const units = await db.query(
    `select count(*)::int as lines, coalesce(sum(l.quantity), 0)::int as ordered, coalesce(sum(l.allocated_quantity), 0)::int as allocated,
            coalesce(sum(l.backordered_quantity), 0)::int as backordered
     from order_line l join sales_order o on o.id = l.order_id where o.idempotency_key like $1`,
    [`${keyPrefix}%`],
  );
  const extra = await db.query(
    `select (select count(*)::int from transfer) as transfers, (select count(*)::int from purchase_order where suggested) as suggested`,
  );
  const byStatus = Object.fromEntries(status.rows.map((r) => [r.status, r.n]));
  return {
    orders: status.rows.reduce((s, r) => s + r.n, 0),
    byStatus,
    lines: units.rows[0].lines,
    units: { ordered: units.rows[0].ordered, allocated: units.rows[0].allocated, backordered: units.rows[0].backordered },
    transfers: extra.rows[0].transfers,
    suggestedPurchaseOrders: extra.rows[0].suggested,
  };
}
