import type { Client } from 'pg';
import { IntegrityCheck, integrityChecks, recordCheck } from '../bench/database';

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

export async function checkInvariants(db: Client, acknowledged: Acknowledged[] = []): Promise<InvariantReport> {
  const checks = await integrityChecks(db);
  const add = (name: string, sql: string, describe: (row: any) => string) => recordCheck(db, checks, name, sql, describe);

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
    {
      name: 'every acknowledged order exists',
      ok: lost.length === 0,
      detail: lost.length === 0 ? `ok (${acknowledged.length})` : `${lost.length} lost, e.g. ${lost.slice(0, 3).map(describe).join('; ')}`,
    },
    {
      name: 'every acknowledged order exists once, with the id it was answered with',
      ok: doubled.length + wrongId.length === 0,
      detail: doubled.length + wrongId.length === 0 ? 'ok' : [...doubled, ...wrongId].slice(0, 3).map(describe).join('; '),
    },
  );

  await add('no order PENDING', `select id, number from sales_order where status = 'PENDING' limit 20`, (r) => `${r.number}`);
  await add('every outbox message delivered', `select id, kind from outbox_message where delivered_at is null limit 20`, (r) => `${r.kind} #${r.id}`);
  await add(
    'each order has exactly one PLACED event (a quote none until it is confirmed)',
    `select o.number, count(e.id)::int as placed from sales_order o left join order_event e on e.order_id = o.id and e.type = 'PLACED'
     left join quote q on q.order_id = o.id
     group by o.id, o.number, q.order_id, q.confirmed_at
     having count(e.id) <> case when q.order_id is not null and q.confirmed_at is null then 0 else 1 end limit 20`,
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
