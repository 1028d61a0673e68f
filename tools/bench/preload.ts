import type { Client } from 'pg';
import { PRODUCT_COUNT } from './workload';

/**
 * An order history of `orders` orders, loaded with set-based SQL (generate_series) in one transaction: shipped
 * orders of 1–3 lines spread over the past year, 20,000 customers, each order with its PLACED and SHIPPED events.
 * Shipped lines hold no reservation, so the books stay balanced: every integrity check holds on the history as it
 * does on live orders. Keys are `hist-<n>`, apart from the benchmark's `bench-` orders.
 */
export async function preloadOrders(db: Client, orders: number): Promise<{ orders: number; lines: number; seconds: number }> {
  const start = performance.now();
  const customers = 20_000;
  await db.query('begin');
  try {
    await db.query(`insert into customer (id) select 'hist-customer-' || c from generate_series(0, $1::int - 1) c on conflict do nothing`, [customers]);
    await db.query(
      `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, idempotency_key, placed_at, updated_at, version)
       select gen_random_uuid(), 'SHIPPED', 'hist-customer-' || (i % $2::int), case when i % 10 < 7 then 'web' else 'app' end, 'EUR',
              case when i % 2 = 0 then 'NORTH' else 'SOUTH' end, 'SHIP_PARTIAL', 'hist-' || i, t, t + interval '2 days', 3
       from generate_series(1, $1::int) i, lateral (select now() - interval '366 days' + (i::float8 / $1::int) * interval '365 days' as t) p`,
      [orders, customers],
    );
    const lines = await db.query(
      `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, shipped_quantity)
       select gen_random_uuid(), o.id, n, 'BENCH-' || lpad(((hashtext(o.id::text || n) & 2147483647) % $1::int)::text, 3, '0'), q, 19.9500, q
       from sales_order o, lateral generate_series(1, 1 + (hashtext(o.id::text) & 2147483647) % 3) n, lateral (select 1 + n % 3 as q) qq
       where o.idempotency_key like 'hist-%'`,
      [PRODUCT_COUNT],
    );
    await db.query(
      `insert into order_event (order_id, type, status, message, at)
       select o.id, e.type, e.status, e.message, o.placed_at + e.after
       from sales_order o, (values ('PLACED', 'PENDING', 'Order placed', interval '0'), ('SHIPPED', 'SHIPPED', 'Shipped', interval '2 days'))
            e(type, status, message, after)
       where o.idempotency_key like 'hist-%'`,
    );
    await db.query('commit');
    // The planner must see the history's size, as it would after autovacuum caught up.
    await db.query('vacuum analyze sales_order, order_line, order_event, customer');
    return { orders, lines: lines.rowCount ?? 0, seconds: Math.round((performance.now() - start) / 100) / 10 };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  }
}

