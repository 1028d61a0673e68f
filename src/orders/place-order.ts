import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { BackorderPolicy } from '../catalog/product.entity';
import { sqlArray } from '../db/sql';
import { requestAllocation } from '../outbox/outbox';
import { badInput, conflict } from '../shared/errors';
import { recordOrderEvents } from './order-events';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority, OrderStatus } from './order.enums';

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
 * transaction. Idempotent on the key: a retry returns the first order and writes nothing.
 */
export async function placeOrder(em: EntityManager, command: PlaceOrderCommand, defaultPolicy: FulfilmentPolicy): Promise<PlacedOrder> {
  validatePlaceOrder(command);
  return em.transactional(async (tx) => {
    const previous = await findByIdempotencyKey(tx, command);
    if (previous) return previous;

    const skus = [...new Set(command.lines.map((l) => l.sku))];
    const products: Array<{ sku: string; backorder_policy: BackorderPolicy }> = await tx.execute(
      `select sku, backorder_policy from product where sku = any(?::text[])`,
      [sqlArray(skus)],
    );
    const unknown = skus.filter((sku) => !products.some((p) => p.sku === sku));
    if (unknown.length > 0) throw badInput(`Unknown SKU: ${unknown.join(', ')}`, { field: 'lines', skus: unknown });
    await refuseWhatCannotBeBackordered(tx, command, products.filter((p) => p.backorder_policy === BackorderPolicy.DENY).map((p) => p.sku));

    await tx.execute(`insert into customer (id) values (?) on conflict (id) do nothing`, [command.customerId]);
    const orderId = randomUUID();
    const policy = command.fulfilmentPolicy ?? defaultPolicy;
    const inserted: Array<{ id: string }> = await tx.execute(
      `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                max_warehouses, idempotency_key)
       values (?, 'PENDING', ?, ?, ?, ?, ?, ?, ?::text[], ?, ?)
       on conflict (idempotency_key) do nothing returning id`,
      [
        orderId, command.customerId, command.channel, command.currency, command.shipToRegion, policy,
        command.priority ?? OrderPriority.NORMAL, sqlArray(new Set(command.flags ?? [])), command.maxWarehouses ?? null, command.idempotencyKey,
      ],
    );
    if (inserted.length === 0) {
      // A concurrent request with the same key committed first: its order is the answer.
      return (await findByIdempotencyKey(tx, command))!;
    }
    await tx.execute(
      `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity)
       select gen_random_uuid(), ?, r.line_no, r.sku, r.quantity, r.unit_price, r.quantity
       from jsonb_to_recordset(?::jsonb) as r(line_no int, sku text, quantity int, unit_price float8)`,
      [orderId, JSON.stringify(command.lines.map((l, i) => ({ line_no: i + 1, sku: l.sku, quantity: l.quantity, unit_price: l.unitPrice ?? 0 })))],
    );
    const units = command.lines.reduce((s, l) => s + l.quantity, 0);
    await recordOrderEvents(tx, [{
      orderId, customerId: command.customerId, type: OrderEventType.PLACED, status: OrderStatus.PENDING,
      message: `Placed via ${command.channel}: ${command.lines.length} line${command.lines.length === 1 ? '' : 's'}, ${units} unit${units === 1 ? '' : 's'}`,
    }]);
    await requestAllocation(tx, [{ orderId }], 'order placed');
    return { orderId, created: true };
  });
}

async function findByIdempotencyKey(em: EntityManager, command: PlaceOrderCommand): Promise<PlacedOrder | null> {
  const rows: Array<{ id: string; customer_id: string }> = await em.execute(
    `select id, customer_id from sales_order where idempotency_key = ?`,
    [command.idempotencyKey],
  );
  if (rows.length === 0) return null;
  if (rows[0].customer_id !== command.customerId) {
    throw conflict('This idempotencyKey was already used for another customer’s order', { field: 'idempotencyKey' });
  }
  return { orderId: rows[0].id, created: false };
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
