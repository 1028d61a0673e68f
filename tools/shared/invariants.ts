import type { Client } from 'pg';
import { IntegrityCheck, integrityChecks } from '../../src/scripts/bench/database';

/**
 * The books after a fault or a fuzz run, read straight from the database: the benchmark's integrity checks
 * (no oversell, reserved = live reservations, every unit of every line accounted for, no owed work) plus what a
 * fault could break: an acknowledged order lost or doubled, an order left PENDING, an outbox message never
 * delivered, an order whose PLACED event is missing or doubled.
 */

/** An order a client was told exists: its idempotency key and the id the API answered with (each time it answered). */
export interface Acknowledged {
  key: string;
  ids: Set<string>;
}

export interface Figures {
  acknowledged: number;
  lost: number;
  doubled: number;
  oversoldUnits: number;
}

export interface InvariantReport {
  checks: IntegrityCheck[];
  figures: Figures;
  ok: boolean;
}

const BENCH_RESERVED_CHECK = 'reserved = ACTIVE PULL here + ACTIVE TRANSFER (PLANNED) from here, per SKU and warehouse';

export async function checkInvariants(db: Client, acknowledged: Acknowledged[] = []): Promise<InvariantReport> {
  // The benchmark never dispatches a transfer; the fuzzer does, so reservations are counted with arrived units too.
  const checks = (await integrityChecks(db)).filter((c) => c.name !== BENCH_RESERVED_CHECK);
  const add = async (name: string, sql: string, describe: (row: any) => string, params: unknown[] = []) => {
    const { rows } = await db.query(sql, params);
    checks.push({ name, ok: rows.length === 0, detail: rows.length === 0 ? 'ok' : `${rows.length} violation(s), e.g. ${rows.slice(0, 3).map(describe).join('; ')}` });
    return rows;
  };

  await add(
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

  const keys = acknowledged.map((a) => a.key);
  const { rows: stored } = await db.query(
    `select idempotency_key as key, array_agg(id::text) as ids from sales_order where idempotency_key = any($1::text[]) group by idempotency_key`,
    [keys],
  );
  const byKey = new Map<string, string[]>(stored.map((r) => [r.key, r.ids]));
  const lost = acknowledged.filter((a) => !byKey.has(a.key));
  // Doubled: two orders for one key, or the API answered one key with two different ids.
  const doubled = acknowledged.filter((a) => (byKey.get(a.key)?.length ?? 0) > 1 || a.ids.size > 1);
  const wrongId = acknowledged.filter((a) => byKey.get(a.key)?.length === 1 && !a.ids.has(byKey.get(a.key)![0]));
  const describe = (a: Acknowledged) => `${a.key} (answered ${[...a.ids].join(', ')}; stored ${byKey.get(a.key)?.join(', ') ?? 'none'})`;
  checks.push(
    { name: 'every acknowledged order exists', ok: lost.length === 0, detail: lost.length === 0 ? `ok (${acknowledged.length})` : `${lost.length} lost, e.g. ${lost.slice(0, 3).map(describe).join('; ')}` },
    { name: 'every acknowledged order exists once, with the id it was answered with', ok: doubled.length + wrongId.length === 0, detail: doubled.length + wrongId.length === 0 ? 'ok' : [...doubled, ...wrongId].slice(0, 3).map(describe).join('; ') },
  );

  await add('no order PENDING', `select id, number from sales_order where status = 'PENDING' limit 20`, (r) => `${r.number}`);
  await add('every outbox message delivered', `select id, kind from outbox_message where delivered_at is null limit 20`, (r) => `${r.kind} #${r.id}`);
  await add(
    'each order has exactly one PLACED event',
    `select o.number, count(e.id)::int as placed from sales_order o left join order_event e on e.order_id = o.id and e.type = 'PLACED'
     group by o.id, o.number having count(e.id) <> 1 limit 20`,
    (r) => `${r.number}: ${r.placed}`,
  );
  const { rows: oversold } = await db.query(
    `select coalesce(sum(greatest(reserved_quantity - on_hand_quantity, 0) + greatest(-on_hand_quantity, 0)), 0)::int as units from stock_level`,
  );
  const figures = { acknowledged: acknowledged.length, lost: lost.length, doubled: doubled.length, oversoldUnits: oversold[0].units };
  return { checks, figures, ok: checks.every((c) => c.ok) };
}

export function formatChecks(report: InvariantReport): string {
  return report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`).join('\n');
}
