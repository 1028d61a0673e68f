import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { BackorderPolicy } from '../catalog/product.entity';
import { sqlArray } from '../db/sql';
import { OUTBOX_NOTIFY_CHANNEL } from '../outbox/outbox';
import { badInput, conflict } from '../shared/errors';
import { FulfilmentPolicy, OrderFlag, OrderPriority } from './order.enums';

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
  lines: Array<{ sku: string; quantity: number; unitPrice?: number | null }>;
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
  if (!Array.isArray(command.lines) || command.lines.length === 0) throw badInput('An order needs at least one line', { field: 'lines' });
  if (command.lines.length > MAX_LINES) throw badInput(`An order may have at most ${MAX_LINES} lines`, { field: 'lines' });
  command.lines.forEach((line, i) => {
    text(line.sku, `lines[${i}].sku`, 100);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw badInput(`lines[${i}].quantity must be a whole number from 1 to ${MAX_QUANTITY}`, { field: `lines[${i}].quantity` });
    }
    if (line.unitPrice != null && (!Number.isFinite(line.unitPrice) || line.unitPrice < 0)) {
      throw badInput(`lines[${i}].unitPrice must not be negative`, { field: `lines[${i}].unitPrice` });
    }
  });
}

/**
 * Writes the order, its lines, a PLACED event, the allocation it is owed and the outbox messages, in one
 * transaction of two statements: one reads what the command depends on (an earlier order with the key, the
 * products), one writes everything. Idempotent on the key: a retry returns the first order and writes nothing.
 */
export async function placeOrder(em: EntityManager, command: PlaceOrderCommand, defaultPolicy: FulfilmentPolicy): Promise<PlacedOrder> {
  validatePlaceOrder(command);
  return em.transactional(async (tx) => {
    const skus = [...new Set(command.lines.map((l) => l.sku))];
    const [known]: Array<{ previous_id: string | null; previous_customer_id: string | null; products: Array<{ sku: string; backorder_policy: BackorderPolicy }> | null }> =
      await tx.execute(
        `select o.id as previous_id, o.customer_id as previous_customer_id,
                (select jsonb_agg(jsonb_build_object('sku', p.sku, 'backorder_policy', p.backorder_policy))
                 from product p where p.sku = any(?::text[])) as products
         from (select 1) as one left join sales_order o on o.idempotency_key = ?`,
        [sqlArray(skus), command.idempotencyKey],
      );
    if (known.previous_id) return previousOrder(command, known.previous_id, known.previous_customer_id!);
    const products = known.products ?? [];
    const unknown = skus.filter((sku) => !products.some((p) => p.sku === sku));
    if (unknown.length > 0) throw badInput(`Unknown SKU: ${unknown.join(', ')}`, { field: 'lines', skus: unknown });
    await refuseWhatCannotBeBackordered(tx, command, products.filter((p) => p.backorder_policy === BackorderPolicy.DENY).map((p) => p.sku));

    const orderId = randomUUID();
    const units = command.lines.reduce((s, l) => s + l.quantity, 0);
    const message = `Placed via ${command.channel}: ${command.lines.length} line${command.lines.length === 1 ? '' : 's'}, ${units} unit${units === 1 ? '' : 's'}`;
    const inserted: Array<{ id: string }> = await tx.execute(
      `with customer_row as (insert into customer (id) values (?) on conflict (id) do nothing),
       placed as (
         insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                  max_warehouses, idempotency_key)
         values (?, 'PENDING', ?, ?, ?, ?, ?, ?, ?::text[], ?, ?)
         on conflict (idempotency_key) do nothing returning id, customer_id),
       lines as (
         insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity)
         select gen_random_uuid(), placed.id, r.line_no, r.sku, r.quantity, r.unit_price, r.quantity
         from placed, jsonb_to_recordset(?::jsonb) as r(line_no int, sku text, quantity int, unit_price float8)),
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
       select placed.id, pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '') from placed`,
      [
        command.customerId,
        orderId, command.customerId, command.channel, command.currency, command.shipToRegion, command.fulfilmentPolicy ?? defaultPolicy,
        command.priority ?? OrderPriority.NORMAL, sqlArray(new Set(command.flags ?? [])), command.maxWarehouses ?? null, command.idempotencyKey,
        JSON.stringify(command.lines.map((l, i) => ({ line_no: i + 1, sku: l.sku, quantity: l.quantity, unit_price: l.unitPrice ?? 0 }))),
        message,
      ],
    );
    if (inserted.length === 0) {
      // A concurrent request with the same key committed first: its order is the answer.
      const [row] = await tx.execute(`select id, customer_id from sales_order where idempotency_key = ?`, [command.idempotencyKey]);
      return previousOrder(command, row.id, row.customer_id);
    }
    return { orderId, created: true };
  });
}

function previousOrder(command: PlaceOrderCommand, orderId: string, customerId: string): PlacedOrder {
  if (customerId !== command.customerId) {
    throw conflict('This idempotencyKey was already used for another customer’s order', { field: 'idempotencyKey' });
  }
  return { orderId, created: false };
}

/** Products that may not be backordered: refuse the order when stock available now cannot cover it. */
async function refuseWhatCannotBeBackordered(em: EntityManager, command: PlaceOrderCommand, skus: string[]): Promise<void> {
  if (skus.length === 0) return;
  const rows: Array<{ sku: string; available: string }> = await em.execute(
    `select s.sku, coalesce(sum(greatest(s.on_hand_quantity - s.reserved_quantity - s.safety_stock, 0)), 0) as available
     from stock_level s join warehouse w on w.id = s.warehouse_id and w.active
     where s.sku = any(?::text[]) group by s.sku`,
    [sqlArray(skus)],
  );
  for (const sku of skus) {
    const wanted = command.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
    const available = Number(rows.find((r) => r.sku === sku)?.available ?? 0);
    if (wanted > available) throw conflict(`Only ${available} of ${sku} available and it may not be backordered`, { sku, available });
  }
}
