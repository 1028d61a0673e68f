import { AllocationKind } from '../allocation.enums';
import { OrderEventType } from '../../orders/order.enums';
import type { AllocationPlan, OrderPlan, PlannedCover } from '../planning.types';
import { orderFacts, type BatchFacts } from './batch-facts';
import { dropShipKeyOf, dropShipWrites, reorderWrites } from './purchase-orders';
import { shipmentKeyOf, shipmentWrites, shipsFromWarehouse } from './shipments';
import { splitOrderWrites } from './split-orders';
import { laneKeyOf, transferWrites } from './transfers';
import type { AllocationRow, AllocationWrites, NewId, OrderEventRow, OrderStatusRow, PendingShipment, TouchedStock } from './write-rows';

/**
 * Every row applying `plan` writes, decided here and nowhere else: split orders, transfers, drop-ship and suggested
 * purchase orders, shipments (joining a pending one of the order and warehouse), allocations and what they link to,
 * line and order updates, timeline events and the stock rows touched. Pure: ids come from `newId`, the pending
 * shipments are read by the caller. Does not change the plan.
 */
export function allocationWritesOf(
  plan: AllocationPlan,
  batch: BatchFacts,
  pendingShipments: PendingShipment[],
  now: Date,
  newId: NewId,
): AllocationWrites {
  const covers = plan.orders.flatMap((o) => o.covers);
  const split = splitOrderWrites(plan.orders, batch, newId);
  const transfer = transferWrites(covers, batch.snapshot.warehouses, now, newId);
  const dropShip = dropShipWrites(plan.orders, now, newId);
  const reorder = reorderWrites(plan.reorderSuggestions, batch.snapshot.products, now, newId);
  const shipment = shipmentWrites(plan.orders, batch, pendingShipments, newId);

  const allocations = plan.orders.flatMap((order) =>
    order.covers.map((c): AllocationRow => {
      const target = c.kind === AllocationKind.WAIT ? split.waitTarget.get(c.lineId) : undefined;
      return {
        id: newId(),
        order_id: target?.orderId ?? order.orderId,
        order_line_id: target?.lineId ?? c.lineId,
        kind: c.kind,
        sku: c.sku,
        quantity: c.quantity,
        warehouse_code: c.warehouseCode,
        source_warehouse_code: c.sourceWarehouseCode,
        eta: c.eta,
        reason: c.reason,
        purchase_order_line_id: c.kind === AllocationKind.DROP_SHIP ? (dropShip.lineOf.get(dropShipKeyOf(c.lineId, c.supplier)) ?? null) : c.supplyId,
        transfer_id:
          c.kind === AllocationKind.TRANSFER ? (transfer.transferOf.get(laneKeyOf(c.sourceWarehouseCode!, c.warehouseCode!)) ?? null) : null,
        shipment_id: shipsFromWarehouse(c) ? (shipment.shipmentOf.get(shipmentKeyOf(order.orderId, c.warehouseCode)) ?? null) : null,
      };
    }),
  );

  // The planner's events first (what was decided), then what applying it made (split orders, shipments).
  const planned = plan.orders.flatMap((order) => plannedEvents(order, batch, split.splitInto.get(order.orderId)));

  return {
    splitOrders: split.orders,
    splitOrderLines: split.lines,
    transfers: transfer.transfers,
    transferLines: transfer.lines,
    purchaseOrders: [...dropShip.orders, ...reorder.drafts],
    purchaseOrderLines: [...dropShip.lines, ...reorder.lines],
    draftGrowths: reorder.growths,
    shipments: shipment.shipments,
    shipmentLines: shipment.lines,
    allocations,
    orderLines: plan.orders.flatMap((o) =>
      o.lines.map((l) => ({
        id: l.lineId,
        quantity: l.quantity,
        allocated: l.allocatedQuantity,
        backordered: l.backorderedQuantity,
        eta: l.eta,
      })),
    ),
    orderStatuses: plan.orders.map(orderStatusOf),
    events: [...planned, ...split.events, ...shipment.events],
    touchedStock: touchedStockOf(covers),
  };
}

/**
 * An order whose plan reserves, splits or says something (every event) has changed: its version goes up. A re-plan
 * that only re-confirms the same waits leaves it, so an agent's expectedVersion is not spoiled by unrelated work.
 * (The statement also counts a status or hold reason that differs from the stored one as a change.)
 */
export function orderStatusOf(order: OrderPlan): OrderStatusRow {
  return {
    id: order.orderId,
    status: order.status,
    hold_reason: order.holdReason,
    changed: order.events.length > 0 || order.split !== null || order.covers.some((c) => c.kind !== AllocationKind.WAIT),
  };
}

function plannedEvents(order: OrderPlan, batch: BatchFacts, splitIntoOrderId: string | undefined): OrderEventRow[] {
  const { customerId } = orderFacts(batch, order.orderId);
  const splitEvent = splitIntoOrderId === undefined ? undefined : order.events.find((e) => e.type === OrderEventType.SPLIT);
  return order.events.map((event) => ({
    orderId: order.orderId,
    customerId,
    type: event.type,
    status: order.status,
    message: event.message,
    ...(event === splitEvent ? { namesSplitOrderId: splitIntoOrderId } : {}),
  }));
}

/** The stock rows whose reservations the plan changes: PULL at the warehouse that ships, TRANSFER at its source. */
export function touchedStockOf(covers: PlannedCover[]): TouchedStock[] {
  const touched = new Map<string, TouchedStock>();
  const keyOf = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;
  for (const c of covers) {
    const warehouseCode = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
    if (warehouseCode) touched.set(keyOf(c.sku, warehouseCode), { sku: c.sku, warehouseCode });
  }
  return [...touched.values()];
}

/** Units the plan takes from each stock row (SKU and warehouse): PULLs from their warehouse, TRANSFERs from their source. */
export function stockTakenBy(covers: PlannedCover[]): Array<TouchedStock & { quantity: number }> {
  const taken = new Map<string, TouchedStock & { quantity: number }>();
  for (const c of covers) {
    const warehouseCode = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
    if (!warehouseCode) continue;
    const key = `${c.sku}\u0000${warehouseCode}`;
    const row = taken.get(key) ?? { sku: c.sku, warehouseCode, quantity: 0 };
    row.quantity += c.quantity;
    taken.set(key, row);
  }
  return [...taken.values()];
}

/**
 * The SPLIT events end with the new order's number (`…moved to a new order: SO-12`), which the database assigns when
 * the split orders are inserted: the applier hands the numbers back here.
 */
export function nameSplitOrders(events: OrderEventRow[], numberOf: ReadonlyMap<string, string>) {
  return events.map(({ namesSplitOrderId, ...event }) => {
    if (namesSplitOrderId === undefined) return event;
    const number = numberOf.get(namesSplitOrderId);
    if (number === undefined) throw new Error(`split order ${namesSplitOrderId} was not written`);
    return { ...event, message: `${event.message}: SO-${number}` };
  });
}
