import type { EntityManager } from '@mikro-orm/postgresql';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { AllocationTake, releaseAllocations, releaseReservedStock, takeUnitsOffShipment } from '../reservations';
import { formatOrderNumber } from '../shared/document-numbers';
import { badInput, conflict } from '../shared/errors';
import { recordOrderEvents } from './order-events';
import { LockedOrder, syncOrderStatus } from './order-status-sync';
import { CLOSED_STATUSES } from './order-lifecycle';
import { OrderEventType, OrderStatus } from './order.enums';
import { OPEN_SHIPMENT_STATUSES } from '../shipments/shipment.enums';
import { sqlStatusList } from '../db/sql';

export interface CancelledUnits {
  sku: string;
  cancelled: number;
  /** Reserved units given back to stock, per warehouse. */
  released: Array<{ sku: string; warehouseCode: string; quantity: number }>;
}

/** Why units cannot be cancelled here: the same rule for a line and for a whole order. */
export const IN_TRANSIT_RULE = 'units already shipped, on a transfer or drop-shipped by a supplier are on their way and cannot be cancelled';

/**
 * Cancels units of an order (locked by the caller) per SKU: waiting units first, then units reserved in a warehouse
 * and not yet shipped (the reservation is released for other orders). Transferred and drop-shipped units are already
 * on their way and cannot be cancelled here. A null quantity cancels everything that can be. Throws before writing
 * anything when a SKU cannot give what is asked, so a refusal changes nothing.
 */
export async function cancelUnits(
  em: EntityManager,
  order: LockedOrder,
  wanted: Array<{ sku: string; quantity: number | null }>,
): Promise<CancelledUnits[]> {
  if (CLOSED_STATUSES.includes(order.status)) {
    throw conflict(`Order ${formatOrderNumber(order.number)} is ${order.status}`, { status: order.status, version: order.version });
  }
  const plans = [];
  for (const { sku, quantity } of wanted) plans.push(await planSku(em, order, sku, quantity));
  const done: CancelledUnits[] = [];
  for (const plan of plans) done.push(await applySku(em, plan));
  return done;
}

/** After `cancelUnits`: status, empty shipments, the CANCELLED event, and the freed stock offered to other orders. */
export async function finishCancellation(em: EntityManager, order: LockedOrder, done: CancelledUnits[], message: string): Promise<OrderStatus> {
  const released = done.flatMap((d) => d.released);
  await em.execute(
    `update shipment s set status = 'CANCELLED' where s.order_id = ? and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}
       and not exists (select 1 from shipment_line sl where sl.shipment_id = s.id)`,
    [order.id],
  );
  const status = await syncOrderStatus(em, order);
  await recordOrderEvents(em, [
    {
      orderId: order.id,
      customerId: order.customerId,
      type: OrderEventType.CANCELLED,
      status,
      message: `${message}${released.length > 0 ? '; the reserved units are free for other orders' : ''}`,
    },
  ]);
  if (released.length > 0) {
    await announceStockChanges(
      em,
      released.map(({ sku, warehouseCode }) => ({ sku, warehouseCode })),
    );
    await requestAllocation(
      em,
      [...new Set(released.map((r) => r.sku))].map((sku) => ({ sku })),
      'order line cancelled',
    );
  }
  return status;
}

interface Cover {
  id: string;
  order_line_id: string;
  kind: string;
  quantity: number;
  warehouse_code: string | null;
  shipment_id: string | null;
}

interface SkuPlan {
  order: LockedOrder;
  sku: string;
  wanted: number;
  lines: Array<{ id: string; backordered_quantity: number }>;
  covers: Cover[];
}

async function planSku(em: EntityManager, order: LockedOrder, sku: string, quantity: number | null): Promise<SkuPlan> {
  const covers: Cover[] = await em.execute(
    `select a.id, a.order_line_id, a.kind, a.quantity, a.warehouse_code, a.shipment_id
     from allocation a join order_line l on l.id = a.order_line_id
     left join shipment s on s.id = a.shipment_id
     where l.order_id = ? and l.sku = ? and a.status = 'ACTIVE'
       and (a.kind = 'WAIT' or (a.kind = 'PULL' and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}))
     order by case a.kind when 'WAIT' then 0 else 1 end, a.created_at desc, a.id`,
    [order.id, sku],
  );
  // Backordered units include drop-shipped ones, which the supplier already ships: only the rest may be cancelled.
  const lines: Array<{ id: string; backordered_quantity: number }> = await em.execute(
    `select l.id, l.backordered_quantity - coalesce((select sum(a.quantity) from allocation a
              where a.order_line_id = l.id and a.status = 'ACTIVE' and a.kind = 'DROP_SHIP'), 0)::int as backordered_quantity
     from order_line l where l.order_id = ? and l.sku = ?`,
    [order.id, sku],
  );
  if (lines.length === 0) throw badInput(`Order ${formatOrderNumber(order.number)} has no line for ${sku}`, { field: 'sku' });
  // Units planned but not yet allocated (the allocator has not seen the order) count as waiting.
  const waitingWithoutCover =
    lines.reduce((s, l) => s + l.backordered_quantity, 0) - covers.filter((c) => c.kind === 'WAIT').reduce((s, c) => s + c.quantity, 0);
  const cancellable = covers.reduce((s, c) => s + c.quantity, 0) + Math.max(0, waitingWithoutCover);
  const wanted = quantity ?? cancellable;
  if (wanted === 0 || wanted > cancellable) {
    throw conflict(`Only ${cancellable} of ${sku} can still be cancelled on ${formatOrderNumber(order.number)}: ${IN_TRANSIT_RULE}`, {
      sku,
      cancellable,
      version: order.version,
    });
  }
  return { order, sku, wanted, lines, covers };
}

async function applySku(em: EntityManager, { sku, wanted, lines, covers }: SkuPlan): Promise<CancelledUnits> {
  let left = wanted;
  const released: CancelledUnits['released'] = [];
  const perLine = new Map<string, { backordered: number; allocated: number }>();
  const note = (lineId: string, field: 'backordered' | 'allocated', units: number) => {
    const entry = perLine.get(lineId) ?? { backordered: 0, allocated: 0 };
    entry[field] += units;
    perLine.set(lineId, entry);
  };
  for (const line of lines) {
    const uncovered =
      line.backordered_quantity - covers.filter((c) => c.kind === 'WAIT' && c.order_line_id === line.id).reduce((s, c) => s + c.quantity, 0);
    const take = Math.min(left, Math.max(0, uncovered));
    if (take > 0) (note(line.id, 'backordered', take), (left -= take));
  }
  const takes: AllocationTake[] = [];
  for (const cover of covers) {
    if (left === 0) break;
    const take = Math.min(left, cover.quantity);
    left -= take;
    takes.push({ id: cover.id, quantity: cover.quantity, take });
    if (cover.kind === 'WAIT') {
      note(cover.order_line_id, 'backordered', take);
    } else {
      note(cover.order_line_id, 'allocated', take);
      released.push({ sku, warehouseCode: cover.warehouse_code!, quantity: take });
      await takeUnitsOffShipment(em, cover.shipment_id!, cover.order_line_id, take);
    }
  }
  await releaseAllocations(em, takes);
  await em.execute(
    `update order_line l set backordered_quantity = l.backordered_quantity - r.backordered, allocated_quantity = l.allocated_quantity - r.allocated,
                             cancelled_quantity = l.cancelled_quantity + r.backordered + r.allocated
     from json_to_recordset(?::json) as r(id uuid, backordered int, allocated int) where l.id = r.id`,
    [JSON.stringify([...perLine].map(([id, v]) => ({ id, ...v })))],
  );
  await releaseReservedStock(em, released);
  return { sku, cancelled: wanted, released };
}
