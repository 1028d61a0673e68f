import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { recordOrderEvents, NewOrderEvent } from '../orders/order-events';
import { OrderEventType, OrderStatus } from '../orders/order.enums';
import { announceStockChanges } from '../outbox/outbox';
import { refreshShipmentReadiness } from '../shipments/shipment-readiness';
import { AllocationKind } from './allocation.enums';
import { LoadedBatch, stockKey } from './load-snapshot';
import { addDays } from '../shared/dates';
import type { AllocationPlan, PlannedCover } from './planning.types';
import { dropWaitingCovers, recordAllocations, reserveStock as reserveStockRows } from '../reservations';


const json = (value: unknown) => JSON.stringify(value);

/**
 * Executes a plan in the caller's transaction, set-based: one guarded update reserves all stock the plan takes
 * (and throws StockMovedError if any row no longer has it), then bulk inserts and updates write allocations,
 * shipments, transfers, drop-ship and suggested purchase orders, line quantities, statuses and timeline events.
 */
export async function applyAllocationPlan(em: EntityManager, batch: LoadedBatch, plan: AllocationPlan, now: Date): Promise<void> {
  const plannedLineIds = plan.orders.flatMap((o) => o.lines.map((l) => l.lineId));
  await dropWaitingCovers(em, plannedLineIds);
  const allCovers = plan.orders.flatMap((o) => o.covers);
  await reserveStock(em, batch, allCovers);

  const events: NewOrderEvent[] = [];
  const lineTarget = await createSplitOrders(em, batch, plan, events);
  const transferOf = await createTransfers(em, batch, allCovers, now);
  const dropShipLineOf = await createDropShipOrders(em, plan, now);
  const shipmentOf = await createShipments(em, batch, plan, events);

  const allocationRows = allCovers.map((c) => {
    const target = c.kind === AllocationKind.WAIT ? lineTarget.get(c.lineId) : undefined;
    return {
      id: randomUUID(),
      order_id: target?.orderId ?? batch.lines.get(c.lineId)!.orderId,
      order_line_id: target?.lineId ?? c.lineId,
      kind: c.kind,
      sku: c.sku,
      quantity: c.quantity,
      warehouse_code: c.warehouseCode,
      source_warehouse_code: c.sourceWarehouseCode,
      eta: c.eta.toISOString(),
      reason: c.reason,
      purchase_order_line_id: c.kind === AllocationKind.DROP_SHIP ? dropShipLineOf.get(coverKey(c)) ?? null : c.supplyId,
      transfer_id: c.kind === AllocationKind.TRANSFER ? transferOf.get(`${c.sourceWarehouseCode}>${c.warehouseCode}`) ?? null : null,
      shipment_id: c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER ? shipmentOf.get(`${batch.lines.get(c.lineId)!.orderId}|${c.warehouseCode}`) ?? null : null,
    };
  });
  await recordAllocations(em, allocationRows);

  const lineRows = plan.orders.flatMap((o) => o.lines.map((l) => ({
    id: l.lineId, quantity: l.quantity, allocated: l.allocatedQuantity, backordered: l.backorderedQuantity, eta: l.eta?.toISOString() ?? null,
  })));
  if (lineRows.length > 0) {
    await executeBound(em,
      `update order_line l set quantity = r.quantity, allocated_quantity = r.allocated, backordered_quantity = r.backordered, eta = r.eta
       from jsonb_to_recordset(?::jsonb) as r(id uuid, quantity int, allocated int, backordered int, eta timestamptz)
       where l.id = r.id`,
      [json(lineRows)],
    );
  }
  // An order whose plan reserves, splits or says something (every event) has changed: its version goes up. A re-plan
  // that only re-confirms the same waits leaves it, so an agent's expectedVersion is not spoiled by unrelated work.
  const changedOrders = plan.orders.map((o) => ({
    id: o.orderId, status: o.status, hold_reason: o.holdReason,
    changed: o.events.length > 0 || o.split !== null || o.covers.some((c) => c.kind !== AllocationKind.WAIT),
  }));
  if (changedOrders.length > 0) {
    await executeBound(em,
      `update sales_order o set status = r.status, hold_reason = r.hold_reason, updated_at = now(),
              version = o.version + case when r.changed or o.status is distinct from r.status or o.hold_reason is distinct from r.hold_reason
                                         then 1 else 0 end
       from jsonb_to_recordset(?::jsonb) as r(id uuid, status text, hold_reason text, changed boolean)
       where o.id = r.id`,
      [json(changedOrders)],
    );
    await refreshShipmentReadiness(em, plan.orders.map((o) => o.orderId));
  }

  await createReorderSuggestions(em, batch, plan, now);

  // The planner's events first (what was decided), then what the applier made of it (shipments, split orders).
  const planned: NewOrderEvent[] = plan.orders.flatMap((order) =>
    order.events.map((event) => ({
      orderId: order.orderId, customerId: batch.orders.get(order.orderId)!.customerId, type: event.type, status: order.status, message: event.message,
    })),
  );
  await recordOrderEvents(em, [...planned, ...events]);

  const touched = new Map<string, { sku: string; warehouseCode: string }>();
  for (const c of allCovers) {
    const warehouseCode = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
    if (warehouseCode) touched.set(stockKey(c.sku, warehouseCode), { sku: c.sku, warehouseCode });
  }
  await announceStockChanges(em, [...touched.values()]);
}

const coverKey = (c: PlannedCover) => `${c.lineId}|${c.supplier}`;

async function reserveStock(em: EntityManager, batch: LoadedBatch, covers: PlannedCover[]): Promise<void> {
  const wanted = new Map<string, number>();
  for (const c of covers) {
    const from = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
    if (!from) continue;
    const key = stockKey(c.sku, from);
    wanted.set(key, (wanted.get(key) ?? 0) + c.quantity);
  }
  await reserveStockRows(em, [...wanted].map(([key, quantity]) => ({ key, stockLevelId: batch.stockRowIds.get(key), quantity })));
}

/** SPLIT_ORDER: the waiting part becomes a new order, linked to the original, keeping its age and priority. */
async function createSplitOrders(
  em: EntityManager,
  batch: LoadedBatch,
  plan: AllocationPlan,
  events: NewOrderEvent[],
): Promise<Map<string, { orderId: string; lineId: string }>> {
  const lineTarget = new Map<string, { orderId: string; lineId: string }>();
  for (const order of plan.orders) {
    if (!order.split) continue;
    const original = batch.orders.get(order.orderId)!;
    const newOrderId = randomUUID();
    const waitsByLine = new Map<string, PlannedCover[]>();
    for (const c of order.covers) if (c.kind === AllocationKind.WAIT) waitsByLine.set(c.lineId, [...(waitsByLine.get(c.lineId) ?? []), c]);
    const newLines = order.split.lines.map((l, i) => {
      const id = randomUUID();
      lineTarget.set(l.fromLineId, { orderId: newOrderId, lineId: id });
      const etas = (waitsByLine.get(l.fromLineId) ?? []).map((c) => c.eta.getTime());
      return {
        id, order_id: newOrderId, line_no: i + 1, sku: l.sku, quantity: l.quantity,
        unit_price: batch.lines.get(l.fromLineId)!.unitPrice,
        eta: etas.length > 0 ? new Date(Math.max(...etas)).toISOString() : null,
      };
    });
    const [created]: Array<{ number: string }> = await executeBound(em,
      `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                max_warehouses, split_from_id, placed_at)
       select ?, 'BACKORDERED', customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
              max_warehouses, id, placed_at
       from sales_order where id = ? returning number::text as number`,
      [newOrderId, original.id],
    );
    await executeBound(em,
      `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity, eta)
       select r.id, r.order_id, r.line_no, r.sku, r.quantity, r.unit_price, r.quantity, r.eta
       from jsonb_to_recordset(?::jsonb) as r(id uuid, order_id uuid, line_no int, sku text, quantity int, unit_price numeric, eta timestamptz)`,
      [json(newLines)],
    );
    const summary = order.split.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
    events.push({
      orderId: newOrderId, customerId: original.customerId, type: OrderEventType.PLACED, status: OrderStatus.BACKORDERED,
      message: `Split from SO-${original.number}: ${summary}`,
    });
    events.push({
      orderId: newOrderId, customerId: original.customerId, type: OrderEventType.BACKORDERED, status: OrderStatus.BACKORDERED,
      message: [...waitsByLine.values()].flat().map((c) => `${c.sku}: ${c.reason}`).join('; '),
    });
    const splitEvent = order.events.find((e) => e.type === OrderEventType.SPLIT);
    if (splitEvent) splitEvent.message = `${splitEvent.message}: SO-${created.number}`;
  }
  return lineTarget;
}

/** One planned transfer per pair of warehouses per run, its lines summed by SKU. */
async function createTransfers(em: EntityManager, batch: LoadedBatch, covers: PlannedCover[], now: Date): Promise<Map<string, string>> {
  const byLane = new Map<string, { from: string; to: string; skus: Map<string, number> }>();
  for (const c of covers) {
    if (c.kind !== AllocationKind.TRANSFER) continue;
    const laneKey = `${c.sourceWarehouseCode}>${c.warehouseCode}`;
    const lane = byLane.get(laneKey) ?? { from: c.sourceWarehouseCode!, to: c.warehouseCode!, skus: new Map() };
    lane.skus.set(c.sku, (lane.skus.get(c.sku) ?? 0) + c.quantity);
    byLane.set(laneKey, lane);
  }
  const transferOf = new Map<string, string>();
  if (byLane.size === 0) return transferOf;
  const laneDays = new Map<string, number>();
  for (const w of batch.snapshot.warehouses) for (const l of w.transferLanes) laneDays.set(`${w.code}>${l.toWarehouseCode}`, l.days);
  const transfers = [...byLane].map(([laneKey, lane]) => {
    const id = randomUUID();
    transferOf.set(laneKey, id);
    return { id, from: lane.from, to: lane.to, expected_at: addDays(now, laneDays.get(laneKey) ?? 0).toISOString() };
  });
  await executeBound(em,
    `insert into transfer (id, status, from_warehouse_code, to_warehouse_code, expected_at)
     select r.id, 'PLANNED', r."from", r."to", r.expected_at from jsonb_to_recordset(?::jsonb) as r(id uuid, "from" text, "to" text, expected_at timestamptz)`,
    [json(transfers)],
  );
  const lines = [...byLane].flatMap(([laneKey, lane]) =>
    [...lane.skus].map(([sku, quantity]) => ({ id: randomUUID(), transfer_id: transferOf.get(laneKey), sku, quantity })),
  );
  await executeBound(em,
    `insert into transfer_line (id, transfer_id, sku, quantity)
     select * from jsonb_to_recordset(?::jsonb) as r(id uuid, transfer_id uuid, sku text, quantity int)`,
    [json(lines)],
  );
  return transferOf;
}

/** One purchase order per order and supplier, delivered straight to the customer. */
async function createDropShipOrders(em: EntityManager, plan: AllocationPlan, now: Date): Promise<Map<string, string>> {
  const lineOf = new Map<string, string>();
  for (const order of plan.orders) {
    const bySupplier = new Map<string, PlannedCover[]>();
    for (const c of order.covers) if (c.kind === AllocationKind.DROP_SHIP) bySupplier.set(c.supplier!, [...(bySupplier.get(c.supplier!) ?? []), c]);
    for (const [supplier, covers] of bySupplier) {
      const purchaseOrderId = randomUUID();
      const expectedAt = new Date(Math.max(now.getTime(), ...covers.map((c) => c.eta.getTime())));
      await executeBound(em,
        `insert into purchase_order (id, status, supplier, warehouse_code, expected_at, suggested, drop_ship_order_id)
         values (?, 'OPEN', ?, null, ?, false, ?)`,
        [purchaseOrderId, supplier, expectedAt.toISOString(), order.orderId],
      );
      const bySku = new Map<string, number>();
      for (const c of covers) bySku.set(c.sku, (bySku.get(c.sku) ?? 0) + c.quantity);
      const poLines = [...bySku].map(([sku, quantity]) => ({ id: randomUUID(), purchase_order_id: purchaseOrderId, sku, quantity }));
      await executeBound(em,
        `insert into purchase_order_line (id, purchase_order_id, sku, quantity)
         select * from jsonb_to_recordset(?::jsonb) as r(id uuid, purchase_order_id uuid, sku text, quantity int)`,
        [json(poLines)],
      );
      for (const c of covers) lineOf.set(coverKey(c), poLines.find((l) => l.sku === c.sku)!.id);
    }
  }
  return lineOf;
}

/**
 * One pick-pack-ship record per order and shipping warehouse. New reservations join a shipment of that order and
 * warehouse that is still PENDING; otherwise they start a new one.
 */
async function createShipments(em: EntityManager, batch: LoadedBatch, plan: AllocationPlan, events: NewOrderEvent[]): Promise<Map<string, string>> {
  const groups = new Map<string, { orderId: string; warehouseCode: string; covers: PlannedCover[] }>();
  for (const order of plan.orders) {
    for (const c of order.covers) {
      if (c.kind !== AllocationKind.PULL && c.kind !== AllocationKind.TRANSFER) continue;
      const key = `${order.orderId}|${c.warehouseCode}`;
      const group = groups.get(key) ?? { orderId: order.orderId, warehouseCode: c.warehouseCode!, covers: [] };
      group.covers.push(c);
      groups.set(key, group);
    }
  }
  const shipmentOf = new Map<string, string>();
  if (groups.size === 0) return shipmentOf;
  const pending: Array<{ id: string; order_id: string; warehouse_code: string }> = await executeBound(em,
    `select distinct on (order_id, warehouse_code) id, order_id, warehouse_code from shipment
     where order_id = any(?::uuid[]) and status = 'PENDING' order by order_id, warehouse_code, created_at`,
    [sqlArray(new Set([...groups.values()].map((g) => g.orderId)))],
  );
  for (const row of pending) shipmentOf.set(`${row.order_id}|${row.warehouse_code}`, row.id);
  const newShipments: Array<{ id: string; order_id: string; warehouse_code: string }> = [];
  for (const [key, group] of groups) {
    if (shipmentOf.has(key)) continue;
    const id = randomUUID();
    shipmentOf.set(key, id);
    newShipments.push({ id, order_id: group.orderId, warehouse_code: group.warehouseCode });
    const order = batch.orders.get(group.orderId)!;
    const planned = plan.orders.find((o) => o.orderId === group.orderId)!;
    const units = group.covers.reduce((s, c) => s + c.quantity, 0);
    events.push({
      orderId: group.orderId, customerId: order.customerId, type: OrderEventType.SHIPMENT_CREATED, status: planned.status,
      message: `Shipment from ${group.warehouseCode} with ${units} unit${units === 1 ? '' : 's'}`,
    });
  }
  if (newShipments.length > 0) {
    // Readiness is settled by refreshShipmentReadiness once order statuses and transfers are written.
    await executeBound(em,
      `insert into shipment (id, order_id, warehouse_code, status)
       select r.id, r.order_id, r.warehouse_code, 'PENDING' from jsonb_to_recordset(?::jsonb) as r(id uuid, order_id uuid, warehouse_code text)`,
      [json(newShipments)],
    );
  }
  const shipmentLines = [...groups].flatMap(([key, group]) =>
    group.covers.map((c) => ({ id: randomUUID(), shipment_id: shipmentOf.get(key), order_line_id: c.lineId, sku: c.sku, quantity: c.quantity })),
  );
  await executeBound(em,
    `insert into shipment_line (id, shipment_id, order_line_id, sku, quantity)
     select * from jsonb_to_recordset(?::jsonb) as r(id uuid, shipment_id uuid, order_line_id uuid, sku text, quantity int)`,
    [json(shipmentLines)],
  );
  return shipmentOf;
}

/** Draft purchase orders raised by reorder signals, or an existing draft's line grown to what is owed now. */
async function createReorderSuggestions(em: EntityManager, batch: LoadedBatch, plan: AllocationPlan, now: Date): Promise<void> {
  for (const s of plan.reorderSuggestions) {
    if (s.growsPurchaseOrderLineId) {
      await executeBound(em,
        `with grown as (
           update purchase_order_line l set quantity = ? from purchase_order p
           where l.id = ? and p.id = l.purchase_order_id and p.status = 'DRAFT' and l.quantity < ? returning p.id)
         update purchase_order set note = ? where id in (select id from grown)`,
        [s.quantity, s.growsPurchaseOrderLineId, s.quantity, s.reason],
      );
      continue;
    }
    const id = randomUUID();
    const leadTimeDays = batch.snapshot.products.find((p) => p.sku === s.sku)?.leadTimeDays ?? 0;
    await executeBound(em,
      `insert into purchase_order (id, status, supplier, warehouse_code, expected_at, suggested, note)
       select ?, 'DRAFT', ?, ?, ?, true, ?
       where not exists (select 1 from purchase_order p join purchase_order_line l on l.purchase_order_id = p.id
                         where p.status = 'DRAFT' and p.suggested and l.sku = ?)`,
      [id, s.supplier, s.warehouseCode, addDays(now, leadTimeDays).toISOString(), s.reason, s.sku],
    );
    await executeBound(em,
      `insert into purchase_order_line (id, purchase_order_id, sku, quantity)
       select ?, ?, ?, ? where exists (select 1 from purchase_order where id = ?)`,
      [randomUUID(), id, s.sku, s.quantity, id],
    );
  }
}
