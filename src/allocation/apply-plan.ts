import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { recordOrderEvents } from '../orders/order-events';
import { announceStockChanges } from '../outbox/outbox';
import { refreshShipmentReadiness } from '../shipments/shipment-readiness';
import { LoadedBatch, stockKey } from './load-snapshot';
import type { AllocationPlan, PlannedCover } from './planning.types';
import { dropWaitingCovers, recordAllocations, reserveStock as reserveStockRows } from '../reservations';
import { allocationWritesOf, nameSplitOrders, stockTakenBy } from './writes/allocation-writes';
import { ordersWithShipments } from './writes/shipments';
import type { AllocationWrites, PendingShipment } from './writes/write-rows';

const json = (value: unknown) => JSON.stringify(value);
/** Rows numbered in the order given, for statements whose rows take sequence numbers in that order. */
const numbered = <T extends object>(rows: T[]) => rows.map((row, n) => ({ ...row, n }));

/**
 * Executes a plan in the caller's transaction, set-based: one guarded update reserves all stock the plan takes
 * (and throws StockMovedError if any row no longer has it), then one statement per table writes the rows
 * allocationWritesOf decided: split orders, transfers, drop-ship and suggested purchase orders, shipments,
 * allocations, line quantities, statuses and timeline events.
 */
export async function applyAllocationPlan(em: EntityManager, batch: LoadedBatch, plan: AllocationPlan, now: Date): Promise<void> {
  const plannedLineIds = plan.orders.flatMap((o) => o.lines.map((l) => l.lineId));
  await dropWaitingCovers(em, plannedLineIds);
  const allCovers = plan.orders.flatMap((o) => o.covers);
  await reserveStock(em, batch, allCovers);

  const writes = allocationWritesOf(plan, batch, await readPendingShipments(em, ordersWithShipments(plan.orders)), now, randomUUID);
  const splitOrderNumbers = await insertSplitOrders(em, writes);
  await insertTransfers(em, writes);
  await insertPurchaseOrders(em, writes);
  await insertShipments(em, writes);

  await recordAllocations(em, writes.allocations);

  if (writes.orderLines.length > 0) {
    await executeBound(
      em,
      `update order_line l set quantity = r.quantity, allocated_quantity = r.allocated, backordered_quantity = r.backordered, eta = r.eta
       from json_to_recordset(?::json) as r(id uuid, quantity int, allocated int, backordered int, eta timestamptz)
       where l.id = r.id`,
      [json(writes.orderLines)],
    );
  }
  if (writes.orderStatuses.length > 0) {
    await executeBound(
      em,
      `update sales_order o set status = r.status, hold_reason = r.hold_reason, updated_at = now(),
              version = o.version + case when r.changed or o.status is distinct from r.status or o.hold_reason is distinct from r.hold_reason
                                         then 1 else 0 end
       from json_to_recordset(?::json) as r(id uuid, status text, hold_reason text, changed boolean)
       where o.id = r.id`,
      [json(writes.orderStatuses)],
    );
    await refreshShipmentReadiness(
      em,
      writes.orderStatuses.map((o) => o.id),
    );
  }

  await growDraftPurchaseOrders(em, writes);
  await recordOrderEvents(em, nameSplitOrders(writes.events, splitOrderNumbers));
  await announceStockChanges(em, writes.touchedStock);
}

/** Every PENDING shipment of these orders: allocationWritesOf picks the one new reservations join. */
async function readPendingShipments(em: EntityManager, orderIds: string[]): Promise<PendingShipment[]> {
  if (orderIds.length === 0) return [];
  const rows: Array<{ id: string; order_id: string; warehouse_code: string; created_at: Date }> = await executeBound(
    em,
    `select id, order_id, warehouse_code, created_at from shipment where order_id = any(?::uuid[]) and status = 'PENDING'`,
    [sqlArray(orderIds)],
  );
  return rows.map((r) => ({ id: r.id, orderId: r.order_id, warehouseCode: r.warehouse_code, createdAt: new Date(r.created_at) }));
}

async function reserveStock(em: EntityManager, batch: LoadedBatch, covers: PlannedCover[]): Promise<void> {
  const rows = stockTakenBy(covers).map((t) => {
    const key = stockKey(t.sku, t.warehouseCode);
    return { key, stockLevelId: batch.stockRowIds.get(key), quantity: t.quantity };
  });
  await reserveStockRows(em, rows);
}

/** The split orders (copying the rest of each from the order it splits from) and their lines; their numbers by id. */
async function insertSplitOrders(em: EntityManager, writes: AllocationWrites): Promise<Map<string, string>> {
  if (writes.splitOrders.length === 0) return new Map();
  const created: Array<{ id: string; number: string }> = await executeBound(
    em,
    `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                              max_warehouses, split_from_id, placed_at)
     select r.id, 'BACKORDERED', o.customer_id, o.channel, o.currency, o.ship_to_region, o.fulfilment_policy, o.priority, o.flags,
            o.max_warehouses, o.id, o.placed_at
     from json_to_recordset(?::json) as r(id uuid, split_from_id uuid, n int) join sales_order o on o.id = r.split_from_id
     order by r.n
     returning id, number::text as number`,
    [json(numbered(writes.splitOrders))],
  );
  await executeBound(
    em,
    `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity, eta)
     select r.id, r.order_id, r.line_no, r.sku, r.quantity, r.unit_price, r.quantity, r.eta
     from json_to_recordset(?::json) as r(id uuid, order_id uuid, line_no int, sku text, quantity int, unit_price numeric, eta timestamptz)`,
    [json(writes.splitOrderLines)],
  );
  return new Map(created.map((c) => [c.id, c.number]));
}

async function insertTransfers(em: EntityManager, writes: AllocationWrites): Promise<void> {
  if (writes.transfers.length === 0) return;
  await executeBound(
    em,
    `insert into transfer (id, status, from_warehouse_code, to_warehouse_code, expected_at)
     select r.id, 'PLANNED', r."from", r."to", r.expected_at from json_to_recordset(?::json) as r(id uuid, "from" text, "to" text, expected_at timestamptz)`,
    [json(writes.transfers)],
  );
  await executeBound(
    em,
    `insert into transfer_line (id, transfer_id, sku, quantity)
     select * from json_to_recordset(?::json) as r(id uuid, transfer_id uuid, sku text, quantity int)`,
    [json(writes.transferLines)],
  );
}

/**
 * Drop-ship orders and suggested drafts, numbered in the order given; a draft of a SKU that has one already (raised
 * since the snapshot was read) is left out, with its line.
 */
async function insertPurchaseOrders(em: EntityManager, writes: AllocationWrites): Promise<void> {
  if (writes.purchaseOrders.length === 0) return;
  await executeBound(
    em,
    `insert into purchase_order (id, status, supplier, warehouse_code, expected_at, suggested, note, drop_ship_order_id)
     select r.id, r.status, r.supplier, r.warehouse_code, r.expected_at, r.suggested, r.note, r.drop_ship_order_id
     from json_to_recordset(?::json) as r(id uuid, status text, supplier text, warehouse_code text, expected_at timestamptz,
                                            suggested boolean, note text, drop_ship_order_id uuid, draft_sku text, n int)
     where r.draft_sku is null
        or not exists (select 1 from purchase_order p join purchase_order_line l on l.purchase_order_id = p.id
                       where p.status = 'DRAFT' and p.suggested and l.sku = r.draft_sku)
     order by r.n`,
    [json(numbered(writes.purchaseOrders))],
  );
  await executeBound(
    em,
    `insert into purchase_order_line (id, purchase_order_id, sku, quantity)
     select r.id, r.purchase_order_id, r.sku, r.quantity from json_to_recordset(?::json) as r(id uuid, purchase_order_id uuid, sku text, quantity int)
     where exists (select 1 from purchase_order p where p.id = r.purchase_order_id)`,
    [json(writes.purchaseOrderLines)],
  );
}

async function insertShipments(em: EntityManager, writes: AllocationWrites): Promise<void> {
  if (writes.shipments.length > 0) {
    // Readiness is settled by refreshShipmentReadiness once order statuses and transfers are written.
    await executeBound(
      em,
      `insert into shipment (id, order_id, warehouse_code, status)
       select r.id, r.order_id, r.warehouse_code, 'PENDING' from json_to_recordset(?::json) as r(id uuid, order_id uuid, warehouse_code text)`,
      [json(writes.shipments)],
    );
  }
  if (writes.shipmentLines.length === 0) return;
  await executeBound(
    em,
    `insert into shipment_line (id, shipment_id, order_line_id, sku, quantity)
     select * from json_to_recordset(?::json) as r(id uuid, shipment_id uuid, order_line_id uuid, sku text, quantity int)`,
    [json(writes.shipmentLines)],
  );
}

/** Existing suggested drafts' lines grown to what is owed now (a line that is no longer a draft, or larger, stays). */
async function growDraftPurchaseOrders(em: EntityManager, writes: AllocationWrites): Promise<void> {
  if (writes.draftGrowths.length === 0) return;
  await executeBound(
    em,
    `with grown as (
       update purchase_order_line l set quantity = r.quantity
       from json_to_recordset(?::json) as r(purchase_order_line_id uuid, quantity int, note text), purchase_order p
       where l.id = r.purchase_order_line_id and p.id = l.purchase_order_id and p.status = 'DRAFT' and l.quantity < r.quantity
       returning p.id, r.note)
     update purchase_order p set note = grown.note from grown where p.id = grown.id`,
    [json(writes.draftGrowths)],
  );
}
