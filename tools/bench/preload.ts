import type { Client } from 'pg';
import { PRODUCT_COUNT } from './workload';

/**
 * An order history of `orders` orders, loaded with set-based SQL (generate_series) in one transaction: shipped
 * orders of 1–3 lines spread over the past year, 20,000 customers, each order with its PLACED and SHIPPED events.
 * Shipped lines hold no reservation, so the books stay balanced: every integrity check holds on the history as it
 * does on live orders. Keys are `hist-<n>`, apart from the benchmark's `bench-` orders.
 *
 * Everything is computed from n alone (no join back to the orders), and the ids rise with n (version-4 shaped UUIDs
 * with n in the last group), so each index is appended to rather than written all over. The rows are consistent by
 * construction, so when the role may (a superuser), foreign keys are not checked row by row during the load
 * (session_replication_role = replica; the schema has no triggers of its own that this would skip).
 */

const CUSTOMERS = 20_000;
const orderId = (n: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const lineId = (n: string, line: string) => `('00000000-0001-4000-8000-' || lpad(to_hex(${n} * 4 + ${line}), 12, '0'))::uuid`;
const placedAt = (n: string) => `now() - interval '366 days' + (${n}::float8 / $1::int) * interval '365 days'`;

export async function preloadOrders(db: Client, orders: number): Promise<{ orders: number; lines: number; seconds: number }> {
  const start = performance.now();
  const uncheckedKeys = await db.query(`set session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  await db.query('begin');
  try {
    await db.query(`insert into customer (id) select 'hist-customer-' || c from generate_series(0, $1::int - 1) c on conflict do nothing`, [
      CUSTOMERS,
    ]);
    await db.query(
      `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, idempotency_key, placed_at, updated_at, version)
       select ${orderId('n')}, 'SHIPPED', 'hist-customer-' || (n % ${CUSTOMERS}), case when n % 10 < 7 then 'web' else 'app' end, 'EUR',
              case when n % 2 = 0 then 'NORTH' else 'SOUTH' end, 'SHIP_PARTIAL', 'hist-' || n, ${placedAt('n')}, ${placedAt('n')} + interval '2 days', 3
       from generate_series(1, $1::int) n`,
      [orders],
    );
    // Line k of order n: product (n * 7 + k * 13) mod 200, quantity 1–3.
    const lines = await db.query(
      `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, shipped_quantity)
       select ${lineId('n', 'k')}, ${orderId('n')}, k, 'BENCH-' || lpad(((n * 7 + k * 13) % $2::int)::text, 3, '0'), 1 + (n + k) % 3, 19.9500, 1 + (n + k) % 3
       from generate_series(1, $1::int) n, generate_series(1, 1 + n % 3) k`,
      [orders, PRODUCT_COUNT],
    );
    await db.query(
      `insert into order_event (order_id, type, status, message, at)
       select ${orderId('n')}, e.type, e.status, e.message, ${placedAt('n')} + e.after
       from generate_series(1, $1::int) n,
            (values ('PLACED', 'PENDING', 'Order placed', interval '0'), ('SHIPPED', 'SHIPPED', 'Shipped', interval '2 days')) e(type, status, message, after)
       order by n`,
      [orders],
    );
    await db.query('commit');
    // The planner must see the history's size, as it would once autovacuum caught up.
    await db.query('vacuum analyze sales_order, order_line, order_event, customer');
    return { orders, lines: lines.rowCount ?? 0, seconds: Math.round((performance.now() - start) / 100) / 10 };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    if (uncheckedKeys) await db.query(`set session_replication_role = origin`).catch(() => undefined);
  }
}
