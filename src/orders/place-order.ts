import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { badInput, conflict } from '../shared/errors';
import { formatOrderNumber } from '../shared/document-numbers';
import { FulfilmentPolicy, OrderFlag, OrderPriority } from './order.enums';
import { orderRequestHash } from './order-request-hash';
import { validTaxRate } from '../invoicing/invoice-money';
import { PriceInput, validUnitPrice } from './unit-price';

export interface PlaceOrderCommand {
  idempotencyKey: string;
  customerId: string;
  channel: string;
  currency: string;
  shipToRegion: string;
  fulfilmentPolicy?: FulfilmentPolicy | null;
  priority?: OrderPriority | null;
  flags?: OrderFlag[] | null;
  maxWarehouses?: number | null;
  /** Percent tax on this order's invoices, over its products' rates. */
  taxRate?: PriceInput | null;
  lines: Array<{ sku: string; quantity: number; unitPrice?: PriceInput | null }>;
}

export interface PlacedOrder {
  orderId: string;
  /** False when the idempotency key named an order placed before: nothing new was written. */
  created: boolean;
}

const MAX_LINES = 500;
const MAX_QUANTITY = 1_000_000;

/** Checks a command's shape before any I/O; throws BAD_USER_INPUT naming the first problem. */
export function validatePlaceOrder(command: PlaceOrderCommand): void {
  const text = (value: string | undefined, field: string, max = 200) => {
    if (typeof value !== 'string' || value.trim() === '') throw badInput(`${field} is required`, { field });
    if (value.length > max) throw badInput(`${field} is longer than ${max} characters`, { field });
  };
  text(command.idempotencyKey, 'idempotencyKey');
  text(command.customerId, 'customerId');
  text(command.channel, 'channel', 50);
  text(command.shipToRegion, 'shipToRegion', 50);
  if (!/^[A-Z]{3}$/.test(command.currency ?? '')) throw badInput('currency must be a three-letter ISO 4217 code such as EUR', { field: 'currency' });
  if (command.maxWarehouses != null && (!Number.isInteger(command.maxWarehouses) || command.maxWarehouses < 1)) {
    throw badInput('maxWarehouses must be a whole number of at least 1', { field: 'maxWarehouses' });
  }
  if (command.taxRate != null) validTaxRate(command.taxRate, 'taxRate');
  if (!Array.isArray(command.lines) || command.lines.length === 0) throw badInput('An order needs at least one line', { field: 'lines' });
  if (command.lines.length > MAX_LINES) throw badInput(`An order may have at most ${MAX_LINES} lines`, { field: 'lines' });
  command.lines.forEach((line, i) => {
    text(line.sku, `lines[${i}].sku`, 100);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw badInput(`lines[${i}].quantity must be a whole number from 1 to ${MAX_QUANTITY}`, { field: `lines[${i}].quantity` });
    }
    validUnitPrice(line.unitPrice, command.currency, `lines[${i}].unitPrice`);
  });
}

/**
 * Writes the order, its lines, a PLACED event, the allocation it is owed and its outbox messages in ONE statement,
 * atomic without an explicit transaction: the statement checks what the order depends on (no earlier order with the
 * key, every SKU known, an active warehouse shipping to the region, products that may not be backordered covered by
 * stock) and writes only if all hold, then says which failed. One round trip keeps the hot path short. It sends no
 * NOTIFY (see OutboxWaker): call `wake()` after it. Idempotent on the key: a retry returns the first order and writes nothing.
 */
export async function placeOrder(em: EntityManager, command: PlaceOrderCommand, defaultPolicy: FulfilmentPolicy): Promise<PlacedOrder> {
  validatePlaceOrder(command);
  const orderId = randomUUID();
  const requestHash = orderRequestHash(command);
  const units = command.lines.reduce((s, l) => s + l.quantity, 0);
  const message = `Placed via ${command.channel}: ${command.lines.length} line${command.lines.length === 1 ? '' : 's'}, ${units} unit${units === 1 ? '' : 's'}`;
  const [result]: Array<{
    placed_id: string | null;
    previous_id: string | null;
    previous_customer_id: string | null;
    previous_hash: string | null;
    previous_number: string | null;
    unknown_skus: string[] | null;
    denied: Array<{ sku: string; available: number }> | null;
    served: boolean;
  }> = await em.execute(
    `with input as (
       select * from jsonb_to_recordset(?::jsonb) as r(line_no int, sku text, quantity int, unit_price numeric)),
     wanted as (select sku, sum(quantity) as quantity from input group by sku),
     previous as (select id, customer_id, request_hash, number from sales_order where idempotency_key = ?),
     unknown as (select w.sku from wanted w where not exists (select 1 from product p where p.sku = w.sku)),
     denied as (
       select w.sku, coalesce((select sum(greatest(s.on_hand_quantity - s.reserved_quantity - s.safety_stock, 0))
                               from stock_level s join warehouse h on h.id = s.warehouse_id and h.active
                               where s.sku = w.sku), 0)::int as available, w.quantity
       from wanted w join product p on p.sku = w.sku and p.backorder_policy = 'DENY'),
     refused as (select sku, available from denied where available < quantity),
     -- The order's choice, else the strictest of its products', else its channel's, else the deployment's.
     policy as (select coalesce(?::text,
         (select p.fulfilment_policy from product p join wanted w on w.sku = p.sku where p.fulfilment_policy is not null
          order by case p.fulfilment_policy when 'SHIP_COMPLETE' then 0 when 'SPLIT_ORDER' then 1 else 2 end limit 1),
         (select c.fulfilment_policy from sales_channel c where c.channel = ?),
         ?::text) as value),
     served as (select 1 from shipping_lane l join warehouse h on h.id = l.warehouse_id and h.active where l.region = ? limit 1),
     go as (select 1 where not exists (select 1 from previous) and not exists (select 1 from unknown) and not exists (select 1 from refused)
                       and exists (select 1 from served)),
     customer_row as (insert into customer (id) select ? from go on conflict (id) do nothing),
     placed as (
       insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                max_warehouses, idempotency_key, request_hash, tax_rate)
       select ?, 'PENDING', ?, ?, ?, ?, (select value from policy), ?, ?::text[], ?::int, ?, ?, ?::numeric from go
       on conflict (idempotency_key) do nothing returning id, customer_id),
     lines as (
       insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity)
       select gen_random_uuid(), placed.id, input.line_no, input.sku, input.quantity, input.unit_price, input.quantity from placed, input),
     event as (
       insert into order_event (order_id, type, status, message) select placed.id, 'PLACED', 'PENDING', ? from placed
       returning id, order_id, type, status, message, at),
     owed as (insert into allocation_request (order_id, cause) select placed.id, 'order placed' from placed),
     messages as (
       insert into outbox_message (kind, payload)
       select 'order-event', jsonb_build_object('id', event.id::text, 'orderId', event.order_id, 'customerId', placed.customer_id,
                'type', event.type, 'status', event.status, 'message', event.message,
                'at', to_char(event.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       from event, placed
       union all
       select 'allocate', '{"cause":"order placed"}'::jsonb from placed)
     select (select id from placed) as placed_id,
            (select id from previous) as previous_id, (select customer_id from previous) as previous_customer_id,
            (select request_hash from previous) as previous_hash, (select number::text from previous) as previous_number,
            (select array_agg(sku order by sku) from unknown) as unknown_skus,
            (select jsonb_agg(jsonb_build_object('sku', sku, 'available', available) order by sku) from refused) as denied,
            exists (select 1 from served) as served`,
    [
      JSON.stringify(command.lines.map((l, i) => ({ line_no: i + 1, sku: l.sku, quantity: l.quantity, unit_price: validUnitPrice(l.unitPrice, command.currency, 'unitPrice') }))),
      command.idempotencyKey,
      command.fulfilmentPolicy ?? null, command.channel, defaultPolicy,
      command.shipToRegion,
      command.customerId,
      orderId, command.customerId, command.channel, command.currency, command.shipToRegion,
      command.priority ?? OrderPriority.NORMAL, sqlArray(new Set(command.flags ?? [])), command.maxWarehouses ?? null, command.idempotencyKey,
      requestHash, command.taxRate == null ? null : validTaxRate(command.taxRate, 'taxRate'), message,
    ],
  );
  if (result.placed_id) return { orderId: result.placed_id, created: true };
  if (result.previous_id) {
    return previousOrder(command, requestHash, { id: result.previous_id, customer_id: result.previous_customer_id!, request_hash: result.previous_hash, number: result.previous_number! });
  }
  if (result.unknown_skus?.length) throw badInput(`Unknown SKU: ${result.unknown_skus.join(', ')}`, { field: 'lines', skus: result.unknown_skus });
  if (!result.served) throw badInput(`No warehouse ships to ${command.shipToRegion}`, { field: 'shipToRegion', region: command.shipToRegion });
  const refused = result.denied?.[0];
  if (refused) {
    throw conflict(`Only ${refused.available} of ${refused.sku} available and it may not be backordered`, { sku: refused.sku, available: refused.available });
  }
  // A concurrent request with the same key committed first (this statement waited for it, then wrote nothing).
  const [row] = await em.execute<PreviousOrderRow[]>(
    `select id, customer_id, request_hash, number::text as number from sales_order where idempotency_key = ?`,
    [command.idempotencyKey],
  );
  return previousOrder(command, requestHash, row);
}

interface PreviousOrderRow {
  id: string;
  customer_id: string;
  /** Null for orders placed before request hashes were stored: those keys still return their order. */
  request_hash: string | null;
  number: string;
}

/** A retry returns the first order; the same key with another body is a CONFLICT that names the key. */
function previousOrder(command: PlaceOrderCommand, requestHash: string, previous: PreviousOrderRow): PlacedOrder {
  if (previous.customer_id !== command.customerId) {
    throw conflict('This idempotencyKey was already used for another customer’s order', { field: 'idempotencyKey' });
  }
  if (previous.request_hash !== null && previous.request_hash !== requestHash) {
    throw conflict(
      `idempotencyKey ${JSON.stringify(command.idempotencyKey)} was already used for order ${formatOrderNumber(previous.number)} ` +
        'with a different request body: send the same body to retry, or use a new key for a new order',
      { field: 'idempotencyKey', idempotencyKey: command.idempotencyKey, orderId: previous.id },
    );
  }
  return { orderId: previous.id, created: false };
}
