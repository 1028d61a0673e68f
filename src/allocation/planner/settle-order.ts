import { AllocationKind } from '../allocation.enums';
import { FulfilmentPolicy, OrderEventType, OrderStatus } from '../../orders/order.enums';
import { deriveOrderStatus } from '../../orders/order-status';
import type { DemandLine, OrderDemand, OrderPlan, PlannedCover, PlannedEvent, PlannedLine } from '../planning.types';
import { isoDay } from '../../shared/dates';

/** Units of a line that nothing firm covers: what this run plans (waits are always planned afresh). */
export function openNeed(line: DemandLine): number {
  const firm = line.firmCovers.reduce((sum, c) => sum + c.quantity, 0);
  return Math.max(0, line.quantity - line.shippedQuantity - line.cancelledQuantity - firm);
}

const isBackorder = (kind: AllocationKind) => kind === AllocationKind.WAIT || kind === AllocationKind.DROP_SHIP;

/** Quantities, status, split, ETAs and timeline events of one order once its covers are chosen. */
export function settleOrder(order: OrderDemand, covers: PlannedCover[]): OrderPlan {
  const byLine = new Map<string, PlannedCover[]>();
  for (const c of covers) byLine.set(c.lineId, [...(byLine.get(c.lineId) ?? []), c]);
  const shipComplete = order.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE;

  let lines: PlannedLine[] = order.lines.map((line) => {
    const planned = byLine.get(line.lineId) ?? [];
    const firmAllocated = line.firmCovers.filter((c) => !isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const firmBackordered = line.firmCovers.filter((c) => isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const newAllocated = planned.filter((c) => !isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const newBackordered = planned.filter((c) => isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const etas = [...line.firmCovers.map((c) => c.eta), ...planned.map((c) => c.eta)].filter((d): d is Date => d !== null);
    return {
      lineId: line.lineId,
      quantity: line.quantity,
      allocatedQuantity: firmAllocated + newAllocated,
      backorderedQuantity: firmBackordered + newBackordered,
      eta: etas.length > 0 ? new Date(Math.max(...etas.map((d) => d.getTime()))) : line.currentEta,
    };
  });

  // SPLIT_ORDER: when part ships now and part must wait, the waiting part becomes a new linked order.
  let split: OrderPlan['split'] = null;
  const waits = covers.filter((c) => c.kind === AllocationKind.WAIT);
  const allocatedNow = lines.reduce((s, l) => s + l.allocatedQuantity, 0);
  if (order.fulfilmentPolicy === FulfilmentPolicy.SPLIT_ORDER && waits.length > 0 && allocatedNow > 0) {
    const moved = new Map<string, number>();
    for (const w of waits) moved.set(w.lineId, (moved.get(w.lineId) ?? 0) + w.quantity);
    split = {
      lines: order.lines.filter((l) => moved.has(l.lineId)).map((l) => ({ fromLineId: l.lineId, sku: l.sku, quantity: moved.get(l.lineId)! })),
    };
    lines = lines.map((l) => {
      const units = moved.get(l.lineId) ?? 0;
      if (units === 0) return l;
      const stays = byLine.get(l.lineId)!.filter((c) => c.kind !== AllocationKind.WAIT);
      const firm = order.lines.find((d) => d.lineId === l.lineId)!.firmCovers;
      const etas = [...firm.map((c) => c.eta), ...stays.map((c) => c.eta)].filter((d): d is Date => d !== null);
      return {
        ...l,
        quantity: l.quantity - units,
        backorderedQuantity: l.backorderedQuantity - units,
        eta: etas.length > 0 ? new Date(Math.max(...etas.map((d) => d.getTime()))) : null,
      };
    });
  }

  // Shipping complete: every line reaches the customer with the last one.
  if (shipComplete) {
    const latest = Math.max(...lines.map((l) => l.eta?.getTime() ?? 0));
    if (latest > 0) lines = lines.map((l) => ({ ...l, eta: new Date(latest) }));
  }

  const demandLine = new Map(order.lines.map((l) => [l.lineId, l]));
  const status = deriveOrderStatus(
    order.fulfilmentPolicy,
    lines.map((l) => ({
      ...l,
      shippedQuantity: demandLine.get(l.lineId)!.shippedQuantity,
      cancelledQuantity: demandLine.get(l.lineId)!.cancelledQuantity,
    })),
  );
  const waiting = lines.filter((l) => l.backorderedQuantity > 0);
  const holdReason =
    status === OrderStatus.ON_HOLD
      ? `Ships complete: waiting for ${waiting.map((l) => `${l.backorderedQuantity} × ${demandLine.get(l.lineId)!.sku}`).join(', ')}` +
        (lines[0]?.eta ? `, expected ${isoDay(lines[0].eta)}` : '')
      : null;

  return { orderId: order.orderId, status, holdReason, lines, covers, split, events: eventsFor(order, covers, lines, status, split, demandLine) };
}

function eventsFor(
  order: OrderDemand,
  covers: PlannedCover[],
  lines: PlannedLine[],
  status: OrderStatus,
  split: OrderPlan['split'],
  demandLine: Map<string, DemandLine>,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const describe = (kind: AllocationKind) =>
    covers
      .filter((c) => c.kind === kind)
      .map((c) => `${c.sku}: ${c.reason}`)
      .join('; ');
  if (covers.some((c) => c.kind === AllocationKind.PULL)) events.push({ type: OrderEventType.ALLOCATED, message: describe(AllocationKind.PULL) });
  if (covers.some((c) => c.kind === AllocationKind.TRANSFER))
    events.push({ type: OrderEventType.TRANSFER_CREATED, message: describe(AllocationKind.TRANSFER) });
  if (covers.some((c) => c.kind === AllocationKind.DROP_SHIP))
    events.push({ type: OrderEventType.DROP_SHIP_ORDERED, message: describe(AllocationKind.DROP_SHIP) });
  const firstPlan = order.status === OrderStatus.PENDING;
  if (firstPlan && covers.some((c) => c.kind === AllocationKind.WAIT))
    events.push({ type: OrderEventType.BACKORDERED, message: describe(AllocationKind.WAIT) });
  if (split) {
    events.push({
      type: OrderEventType.SPLIT,
      message: `Split: ${split.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} moved to a new order`,
    });
  }
  if (!firstPlan) {
    for (const line of lines) {
      const before = demandLine.get(line.lineId)!.currentEta;
      if (before && line.eta && isoDay(before) !== isoDay(line.eta)) {
        events.push({
          type: OrderEventType.ETA_CHANGED,
          message: `ETA of ${demandLine.get(line.lineId)!.sku} moved from ${isoDay(before)} to ${isoDay(line.eta)}`,
        });
      }
    }
  }
  if (status === OrderStatus.ON_HOLD && order.status !== OrderStatus.ON_HOLD) {
    events.push({ type: OrderEventType.ON_HOLD, message: 'On hold until the whole order can ship' });
  }
  if (order.status === OrderStatus.ON_HOLD && status !== OrderStatus.ON_HOLD) {
    events.push({ type: OrderEventType.RELEASED, message: 'Released: every line can now ship' });
  }
  return events;
}
