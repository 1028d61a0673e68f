import { AllocationKind } from '../allocation.enums';
import { OrderEventType, OrderStatus } from '../../orders/order.enums';
import type { OrderPlan, PlannedCover } from '../planning.types';
import { orderFacts, type BatchFacts } from './batch-facts';
import type { NewId, OrderEventRow, SplitOrderLineRow, SplitOrderRow } from './write-rows';

export interface SplitOrderWrites {
  orders: SplitOrderRow[];
  lines: SplitOrderLineRow[];
  /** Where each original line's WAIT covers go: the new order's line. */
  waitTarget: Map<string, { orderId: string; lineId: string }>;
  /** The new orders' PLACED and BACKORDERED events. */
  events: OrderEventRow[];
  /** The original order's id → its new order's id, to name it in the SPLIT event. */
  splitInto: Map<string, string>;
}

/**
 * SPLIT_ORDER: the waiting part becomes a new order, linked to the original (keeping its age and priority), with a
 * line per split line whose ETA is the latest of the waits that move to it.
 */
export function splitOrderWrites(orders: OrderPlan[], batch: BatchFacts, newId: NewId): SplitOrderWrites {
  const writes: SplitOrderWrites = { orders: [], lines: [], waitTarget: new Map(), events: [], splitInto: new Map() };
  for (const order of orders) {
    if (!order.split) continue;
    const original = orderFacts(batch, order.orderId);
    const newOrderId = newId();
    writes.orders.push({ id: newOrderId, split_from_id: order.orderId });
    writes.splitInto.set(order.orderId, newOrderId);
    const waitsByLine = new Map<string, PlannedCover[]>();
    for (const c of order.covers) if (c.kind === AllocationKind.WAIT) waitsByLine.set(c.lineId, [...(waitsByLine.get(c.lineId) ?? []), c]);
    order.split.lines.forEach((l, i) => {
      const id = newId();
      writes.waitTarget.set(l.fromLineId, { orderId: newOrderId, lineId: id });
      const etas = (waitsByLine.get(l.fromLineId) ?? []).map((c) => c.eta.getTime());
      const unitPrice = batch.lines.get(l.fromLineId)?.unitPrice;
      if (unitPrice === undefined) throw new Error(`split names line ${l.fromLineId}, which the batch did not load`);
      writes.lines.push({
        id,
        order_id: newOrderId,
        line_no: i + 1,
        sku: l.sku,
        quantity: l.quantity,
        unit_price: unitPrice,
        eta: etas.length > 0 ? new Date(Math.max(...etas)) : null,
      });
    });
    const summary = order.split.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
    const backordered = { orderId: newOrderId, customerId: original.customerId, status: OrderStatus.BACKORDERED };
    writes.events.push({ ...backordered, type: OrderEventType.PLACED, message: `Split from SO-${original.number}: ${summary}` });
    writes.events.push({
      ...backordered,
      type: OrderEventType.BACKORDERED,
      message: [...waitsByLine.values()]
        .flat()
        .map((c) => `${c.sku}: ${c.reason}`)
        .join('; '),
    });
  }
  return writes;
}
