import { AllocationKind } from '../allocation.enums';
import { OrderEventType } from '../../orders/order.enums';
import type { OrderPlan, PlannedCover } from '../planning.types';
import { orderFacts, type BatchFacts } from './batch-facts';
import type { NewId, OrderEventRow, PendingShipment, ShipmentLineRow, ShipmentRow } from './write-rows';

export const shipmentKeyOf = (orderId: string, warehouseCode: string | null) => `${orderId}|${warehouseCode}`;

/** Covers that ship from a warehouse of ours, so belong on a shipment of it. */
export const shipsFromWarehouse = (c: PlannedCover) => c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER;

/** The orders whose pending shipments the applier must read: those the plan ships something of. */
export const ordersWithShipments = (orders: OrderPlan[]): string[] => orders.filter((o) => o.covers.some(shipsFromWarehouse)).map((o) => o.orderId);

export interface ShipmentWrites {
  shipments: ShipmentRow[];
  lines: ShipmentLineRow[];
  /** Shipment id by shipmentKeyOf(order, warehouse). */
  shipmentOf: Map<string, string>;
  /** A SHIPMENT_CREATED event per new shipment. */
  events: OrderEventRow[];
}

/**
 * One pick-pack-ship record per order and shipping warehouse. New reservations join the earliest shipment of that
 * order and warehouse that is still PENDING; otherwise they start a new one. A line per cover.
 */
export function shipmentWrites(orders: OrderPlan[], batch: BatchFacts, pending: PendingShipment[], newId: NewId): ShipmentWrites {
  const writes: ShipmentWrites = { shipments: [], lines: [], shipmentOf: new Map(), events: [] };
  const earliest = new Map<string, PendingShipment>();
  for (const p of pending) {
    const key = shipmentKeyOf(p.orderId, p.warehouseCode);
    const held = earliest.get(key);
    if (!held || p.createdAt.getTime() < held.createdAt.getTime() || (p.createdAt.getTime() === held.createdAt.getTime() && p.id < held.id)) {
      earliest.set(key, p);
    }
  }
  const groups = new Map<string, { order: OrderPlan; warehouseCode: string; covers: PlannedCover[] }>();
  for (const order of orders) {
    for (const c of order.covers) {
      if (!shipsFromWarehouse(c)) continue;
      const key = shipmentKeyOf(order.orderId, c.warehouseCode);
      const group = groups.get(key) ?? { order, warehouseCode: c.warehouseCode!, covers: [] };
      group.covers.push(c);
      groups.set(key, group);
    }
  }
  for (const [key, group] of groups) {
    const joined = earliest.get(key);
    if (joined) {
      writes.shipmentOf.set(key, joined.id);
      continue;
    }
    const id = newId();
    writes.shipmentOf.set(key, id);
    writes.shipments.push({ id, order_id: group.order.orderId, warehouse_code: group.warehouseCode });
    const units = group.covers.reduce((s, c) => s + c.quantity, 0);
    writes.events.push({
      orderId: group.order.orderId,
      customerId: orderFacts(batch, group.order.orderId).customerId,
      type: OrderEventType.SHIPMENT_CREATED,
      status: group.order.status,
      message: `Shipment from ${group.warehouseCode} with ${units} unit${units === 1 ? '' : 's'}`,
    });
  }
  for (const [key, group] of groups) {
    for (const c of group.covers) {
      writes.lines.push({ id: newId(), shipment_id: writes.shipmentOf.get(key)!, order_line_id: c.lineId, sku: c.sku, quantity: c.quantity });
    }
  }
  return writes;
}
