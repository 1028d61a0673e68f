import type { NamedStatement } from '../db/pg-pool';
import { sqlArray } from '../db/sql';
import { OUTBOX_NOTIFY_CHANNEL } from '../outbox/outbox';
import { orderEventMessageSql } from './order-events';
import type { FulfilmentPolicy } from './order.enums';
import { OrderPriority } from './order.enums';
import type { PlaceOrderCommand } from './place-order';

/** A validated command with what the statement needs beside it, computed before it joins a group. */
export interface PreparedPlacement {
  command: PlaceOrderCommand;
  orderId: string;
  requestHash: string;
  /** The PLACED event's sentence. */
  message: string;
  /** Each line's price as an exact decimal string. */
  unitPrices: string[];
  /** The order's own tax rate (percent) as an exact decimal string, or null for its products' rates. */
  taxRate: string | null;
}

/** The sales_order row as inserted, under its column names (em.map takes it as it is). */
export interface SalesOrderRow {
  id: string;
  number: string;
  status: string;
  customer_id: string;
  channel: string;
  currency: string;
  ship_to_region: string;
  fulfilment_policy: string;
  priority: string;
  flags: string[];
  max_warehouses: number | null;
  hold_reason: string | null;
  split_from_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  tax_rate: string | null;
  placed_at: Date;
  updated_at: Date;
  version: number;
}

/** The statement's answer for one order of the group, in the group's order. */
export interface PlacementRow extends Partial<SalesOrderRow> {
  ord: number;
  /** Set when this order was written. */
  placed_id: string | null;
  previous_id: string | null;
  previous_customer_id: string | null;
  previous_hash: string | null;
  previous_number: string | null;
  unknown_skus: string[] | null;
  denied: Array<{ sku: string; available: number }> | null;
  served: boolean;
}

const ORDER_COLUMNS = [
  'id',
  'number',
  'status',
  'customer_id',
  'channel',
  'currency',
  'ship_to_region',
  'fulfilment_policy',
  'priority',
  'flags',
  'max_warehouses',
  'hold_reason',
  'split_from_id',
  'idempotency_key',
  'request_hash',
  'tax_rate',
  'placed_at',
  'updated_at',
  'version',
];

/**
 * Places a group of orders in ONE statement, hence one transaction and one commit: for each order it checks what the
 * order depends on (no earlier order with its key, every SKU known, an active warehouse shipping to its region,
 * products that may not be backordered covered by stock) and writes the orders that pass, their lines, PLACED events,
 * allocation requests and outbox messages, one insert per table, then says per order what happened. Orders are
 * inserted in the group's order (their numbers follow it) and customers in id order, so two groups never wait on
 * each other's customers in a cycle. An order whose key another transaction inserted meanwhile is skipped
 * (`on conflict do nothing`): it comes back with neither `placed_id` nor a reason, and the caller reads that order.
 * One NOTIFY per group wakes the outbox relay.
 */
export const PLACE_ORDERS: NamedStatement = {
  name: 'oms_place_orders_v2',
  text: `with input_order as (
       select * from unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $20::numeric[])
         as o(ord, id, idempotency_key, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
              max_warehouses, request_hash, message, tax_rate)),
     input_line as (
       select * from unnest($15::int[], $16::int[], $17::text[], $18::int[], $19::numeric[]) as l(ord, line_no, sku, quantity, unit_price)),
     wanted as (select ord, sku, sum(quantity) as quantity from input_line group by ord, sku),
     previous as (
       select o.ord, s.id, s.customer_id, s.request_hash, s.number from input_order o join sales_order s on s.idempotency_key = o.idempotency_key),
     unknown as (select w.ord, w.sku from wanted w where not exists (select 1 from product p where p.sku = w.sku)),
     refused as (
       select w.ord, w.sku, a.available
       from wanted w join product p on p.sku = w.sku and p.backorder_policy = 'DENY'
       cross join lateral (
         select coalesce(sum(greatest(s.on_hand_quantity - s.reserved_quantity - s.safety_stock, 0)), 0)::int as available
         from stock_level s join warehouse h on h.id = s.warehouse_id and h.active where s.sku = w.sku) a
       where a.available < w.quantity),
     served as (
       select r.region from (select distinct ship_to_region as region from input_order) r
       where exists (select 1 from shipping_lane l join warehouse h on h.id = l.warehouse_id and h.active where l.region = r.region)),
     go as (
       -- The order's choice, else the strictest of its products', else its channel's, else the deployment's.
       select o.*, coalesce(o.fulfilment_policy,
           (select p.fulfilment_policy from product p join wanted w on w.sku = p.sku and w.ord = o.ord where p.fulfilment_policy is not null
            order by case p.fulfilment_policy when 'SHIP_COMPLETE' then 0 when 'SPLIT_ORDER' then 1 else 2 end limit 1),
           (select c.fulfilment_policy from sales_channel c where c.channel = o.channel),
           $14::text) as policy
       from input_order o
       where o.ship_to_region in (select region from served)
         and not exists (select 1 from previous v where v.ord = o.ord)
         and not exists (select 1 from unknown u where u.ord = o.ord)
         and not exists (select 1 from refused r where r.ord = o.ord)),
     customer_row as (insert into customer (id) select distinct customer_id from go order by customer_id on conflict (id) do nothing),
     placed as (
       insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                max_warehouses, idempotency_key, request_hash, tax_rate)
       select id, 'PENDING', customer_id, channel, currency, ship_to_region, policy, priority, flags::text[], max_warehouses,
              idempotency_key, request_hash, tax_rate
       from go order by ord
       on conflict (idempotency_key) do nothing
       returning *),
     placed_input as (select o.*, p.customer_id as placed_customer_id from placed p join input_order o on o.id = p.id),
     lines as (
       insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity)
       select gen_random_uuid(), p.id, l.line_no, l.sku, l.quantity, l.unit_price, l.quantity
       from placed_input p join input_line l on l.ord = p.ord order by p.ord, l.line_no),
     event as (
       insert into order_event (order_id, type, status, message)
       select id, 'PLACED', 'PENDING', message from placed_input order by ord
       returning id, order_id, type, status, message, at),
     owed as (insert into allocation_request (order_id, cause) select id, 'order placed' from placed_input order by ord),
     messages as (
       insert into outbox_message (kind, payload)
       select kind, payload from (
         select 0 as part, e.id as seq, 'order-event' as kind,
                ${orderEventMessageSql('e', 'p.customer_id')} as payload
         from event e join placed p on p.id = e.order_id
         union all
         -- One wake-up for the whole group: the allocator drains every owed request it finds.
         select 1, 0, 'allocate', '{"cause":"order placed"}'::jsonb where exists (select 1 from placed)) m
       order by part, seq),
     woken as (select pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '') from placed limit 1)
     select o.ord, p.id as placed_id, ${ORDER_COLUMNS.map((c) => `p.${c}`).join(', ')},
            v.id as previous_id, v.customer_id as previous_customer_id, v.request_hash as previous_hash, v.number::text as previous_number,
            (select array_agg(u.sku order by u.sku) from unknown u where u.ord = o.ord) as unknown_skus,
            (select jsonb_agg(jsonb_build_object('sku', r.sku, 'available', r.available) order by r.sku) from refused r where r.ord = o.ord) as denied,
            o.ship_to_region in (select region from served) as served,
            (select count(*) from woken) as woken
     from input_order o left join placed p on p.id = o.id left join previous v on v.ord = o.ord
     order by o.ord`,
};

/** The order columns of a placed order's row, without the statement's other answers. */
export function salesOrderRowOf(row: PlacementRow): SalesOrderRow {
  const order: Record<string, unknown> = {};
  for (const column of ORDER_COLUMNS) order[column] = row[column as keyof PlacementRow];
  return order as unknown as SalesOrderRow;
}

/** The orders of one idempotency key each, read after a concurrent transaction wrote them first. */
export const ORDERS_BY_KEY: NamedStatement = {
  name: 'oms_orders_by_idempotency_key_v1',
  text: `select id, customer_id, request_hash, number::text as number, idempotency_key from sales_order where idempotency_key = any($1::text[])`,
};

/** PLACE_ORDERS' parameters for a group: one array per order column and per line column. */
export function placeOrdersValues(group: readonly PreparedPlacement[], defaultPolicy: FulfilmentPolicy): unknown[] {
  const orders = group.map((p) => p.command);
  const lines = group.flatMap((p, ord) => p.command.lines.map((line, i) => ({ ord, lineNo: i + 1, line, unitPrice: p.unitPrices[i] })));
  return [
    group.map((_, ord) => ord),
    group.map((p) => p.orderId),
    orders.map((c) => c.idempotencyKey),
    orders.map((c) => c.customerId),
    orders.map((c) => c.channel),
    orders.map((c) => c.currency),
    orders.map((c) => c.shipToRegion),
    orders.map((c) => c.fulfilmentPolicy ?? null),
    orders.map((c) => c.priority ?? OrderPriority.NORMAL),
    orders.map((c) => sqlArray(new Set(c.flags ?? []))),
    orders.map((c) => c.maxWarehouses ?? null),
    group.map((p) => p.requestHash),
    group.map((p) => p.message),
    defaultPolicy,
    lines.map((l) => l.ord),
    lines.map((l) => l.lineNo),
    lines.map((l) => l.line.sku),
    lines.map((l) => l.line.quantity),
    lines.map((l) => l.unitPrice),
    group.map((p) => p.taxRate),
  ];
}
