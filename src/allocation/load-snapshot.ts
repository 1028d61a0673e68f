import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { AllocationKind } from './allocation.enums';
import type { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';
import type {
  DemandLine,
  InboundSupply,
  OrderDemand,
  PlanningPolicy,
  PlanningSnapshot,
  ProductFacts,
  StockPosition,
  WarehouseNode,
} from './planning.types';

/** What the applier needs beside the snapshot: who the orders are and where each line belongs. */
export interface LoadedOrder {
  id: string;
  number: string;
  customerId: string;
  channel: string;
  currency: string;
  shipToRegion: string;
  fulfilmentPolicy: FulfilmentPolicy;
  priority: OrderPriority;
  flags: OrderFlag[];
  maxWarehouses: number | null;
  placedAt: Date;
  status: OrderStatus;
}

export interface LoadedLine {
  id: string;
  orderId: string;
  lineNo: number;
  sku: string;
  /** A decimal string, as PostgreSQL returns numeric. */
  unitPrice: string;
}

export interface LoadedBatch {
  snapshot: PlanningSnapshot;
  orders: Map<string, LoadedOrder>;
  lines: Map<string, LoadedLine>;
  /** Stock row ids by SKU and warehouse code, for the guarded updates. */
  stockRowIds: Map<string, string>;
}

export const stockKey = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;

const OPEN_ORDER_STATUSES = `('PENDING','ALLOCATED','PARTIALLY_ALLOCATED','BACKORDERED','ON_HOLD','PARTIALLY_SHIPPED')`;

/**
 * Loads everything one planning run needs, set-based (a fixed number of queries whatever the batch size), inside
 * the caller's transaction. The orders are locked (in id order) so that no API change to them interleaves.
 *
 * Demand: the requested orders, plus every order with backordered units of a SKU that must be planned again: one
 * whose supply changed (a SKU request), or one that has stock free now, so a newer order never takes stock that an
 * older backorder waits for. A SKU with nothing free leaves its backorders as they are: their promises on inbound
 * purchase orders are netted out of what this batch may promise. Two rounds follow the SKUs of the orders found.
 */
export async function loadSnapshot(
  em: EntityManager,
  request: { orderIds: string[]; skus: string[] },
  policy: PlanningPolicy,
  now: Date,
  options: { lockOrders: boolean } = { lockOrders: true },
): Promise<LoadedBatch> {
  let orderIds = new Set(request.orderIds);
  const replanned = new Set<string>();
  const examined = new Set<string>();
  let toReplan = new Set(request.skus);
  for (let round = 0; round < 3; round++) {
    const orderSkus: Array<{ sku: string }> = orderIds.size
      ? await em.execute(`select distinct sku from order_line where order_id = any(?::uuid[])`, [sqlArray(orderIds)])
      : [];
    const unexamined = orderSkus.map((r) => r.sku).filter((sku) => !examined.has(sku) && !replanned.has(sku) && !toReplan.has(sku));
    unexamined.forEach((sku) => examined.add(sku));
    if (unexamined.length > 0) {
      const free: Array<{ sku: string }> = await em.execute(
        `select s.sku from stock_level s join warehouse w on w.id = s.warehouse_id and w.active
         where s.sku = any(?::text[]) group by s.sku
         having sum(greatest(s.on_hand_quantity - s.reserved_quantity - s.safety_stock, 0)) > 0`,
        [sqlArray(unexamined)],
      );
      free.forEach((r) => toReplan.add(r.sku));
    }
    if (toReplan.size === 0 || round === 2) break;
    // Orders not yet allocated (PENDING) come with their own requests, in the order they were placed: leaving them
    // out here keeps a batch as small as its requests and the backorders that really compete.
    const waiting: Array<{ order_id: string }> = await em.execute(
      `select distinct l.order_id from order_line l join sales_order o on o.id = l.order_id
       where l.sku = any(?::text[]) and l.backordered_quantity > 0 and o.status in ${OPEN_ORDER_STATUSES} and o.status <> 'PENDING'`,
      [sqlArray(toReplan)],
    );
    toReplan.forEach((sku) => replanned.add(sku));
    toReplan = new Set();
    const before = orderIds.size;
    for (const row of waiting) orderIds.add(row.order_id);
    if (orderIds.size === before) break;
  }
  const orderRows: any[] = orderIds.size
    ? await em.execute(
        `select id, number::text as number, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                max_warehouses, placed_at, status
         from sales_order where id = any(?::uuid[]) and status in ${OPEN_ORDER_STATUSES}
         order by id ${options.lockOrders ? 'for update' : ''}`,
        [sqlArray(orderIds)],
      )
    : [];
  orderIds = new Set(orderRows.map((o) => o.id));
  const lineRows: any[] = orderIds.size
    ? await em.execute(
        `select id, order_id, line_no, sku, quantity, unit_price::text as unit_price, shipped_quantity, cancelled_quantity, eta
         from order_line where order_id = any(?::uuid[]) order by order_id, line_no`,
        [sqlArray(orderIds)],
      )
    : [];
  const skus = new Set([...request.skus, ...lineRows.map((l) => l.sku)]);
  const lineIds = lineRows.map((l) => l.id);
  const firmRows: any[] = lineIds.length
    ? await em.execute(
        `select a.order_line_id, a.kind, a.warehouse_code, a.quantity, a.eta, p.supplier
         from allocation a
         left join purchase_order_line pl on pl.id = a.purchase_order_line_id
         left join purchase_order p on p.id = pl.purchase_order_id
         where a.order_line_id = any(?::uuid[]) and a.status = 'ACTIVE' and a.kind <> ?`,
        [sqlArray(lineIds), AllocationKind.WAIT],
      )
    : [];

  const skuList = [...skus];
  // One query at a time: the transaction has one connection.
  const warehouseRows = await em.execute(`select id, code, active from warehouse`);
  const shippingLaneRows = await em.execute(`select w.code, l.region, l.days, l.cost from shipping_lane l join warehouse w on w.id = l.warehouse_id`);
  const transferLaneRows = await em.execute(
    `select f.code as from_code, t.code as to_code, l.days, l.cost
     from transfer_lane l join warehouse f on f.id = l.from_warehouse_id join warehouse t on t.id = l.to_warehouse_id`,
  );
  const stockRows = await em.execute(
    `select s.id, s.sku, w.code, s.on_hand_quantity, s.reserved_quantity, s.safety_stock
     from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku = any(?::text[])`,
    [sqlArray(skuList)],
  );
  const inboundRows = await em.execute(
    `select pl.id, p.number::text as number, pl.sku, p.warehouse_code, p.expected_at,
            pl.quantity - pl.received_quantity - coalesce((
              select sum(a.quantity) from allocation a
              where a.purchase_order_line_id = pl.id and a.status = 'ACTIVE' and a.kind = 'WAIT'
                and not (a.order_line_id = any(?::uuid[]))), 0) as unpromised
     from purchase_order_line pl join purchase_order p on p.id = pl.purchase_order_id
     where pl.sku = any(?::text[]) and p.status in ('OPEN','PARTIALLY_RECEIVED') and p.drop_ship_order_id is null
       and p.warehouse_code is not null and pl.received_quantity < pl.quantity`,
    [sqlArray(lineIds), sqlArray(skuList)],
  );
  const productRows = await em.execute(
    `select sku, lead_time_days, drop_ship, supplier, reorder_point, reorder_quantity from product where sku = any(?::text[])`,
    [sqlArray(skuList)],
  );
  const suggestionRows = await em.execute(
    `select distinct on (l.sku) l.sku, l.id, l.quantity from purchase_order_line l join purchase_order p on p.id = l.purchase_order_id
     where p.status = 'DRAFT' and p.suggested and l.sku = any(?::text[]) order by l.sku, p.created_at, l.id`,
    [sqlArray(skuList)],
  );
  const unsuppliedElsewhereRows = await em.execute(
    `select a.sku, sum(a.quantity)::int as quantity from allocation a
     where a.sku = any(?::text[]) and a.status = 'ACTIVE' and a.kind = 'WAIT' and a.purchase_order_line_id is null
       and not (a.order_line_id = any(?::uuid[]))
     group by a.sku`,
    [sqlArray(skuList), sqlArray(lineIds)],
  );

  const warehouses: WarehouseNode[] = warehouseRows.map((w: any) => ({
    code: w.code,
    active: w.active,
    shippingLanes: shippingLaneRows.filter((l: any) => l.code === w.code).map((l: any) => ({ region: l.region, days: l.days, cost: Number(l.cost) })),
    transferLanes: transferLaneRows
      .filter((l: any) => l.from_code === w.code)
      .map((l: any) => ({ toWarehouseCode: l.to_code, days: l.days, cost: Number(l.cost) })),
  }));
  const stockRowIds = new Map<string, string>();
  const stock: StockPosition[] = stockRows.map((s: any) => {
    stockRowIds.set(stockKey(s.sku, s.code), s.id);
    return { sku: s.sku, warehouseCode: s.code, onHand: s.on_hand_quantity, available: s.on_hand_quantity - s.reserved_quantity - s.safety_stock };
  });
  const inbound: InboundSupply[] = inboundRows.map((r: any) => ({
    supplyId: r.id,
    reference: `PO-${r.number}`,
    sku: r.sku,
    warehouseCode: r.warehouse_code,
    expectedAt: new Date(r.expected_at),
    unpromisedQuantity: Number(r.unpromised),
  }));
  const products: ProductFacts[] = productRows.map((p: any) => ({
    sku: p.sku,
    leadTimeDays: p.lead_time_days,
    dropShip: p.drop_ship,
    supplier: p.supplier,
    reorderPoint: p.reorder_point,
    reorderQuantity: p.reorder_quantity,
  }));

  const firmByLine = new Map<string, DemandLine['firmCovers']>();
  for (const f of firmRows) {
    const list = firmByLine.get(f.order_line_id) ?? [];
    list.push({ kind: f.kind, warehouseCode: f.warehouse_code, supplier: f.supplier ?? null, quantity: f.quantity, eta: f.eta ? new Date(f.eta) : null });
    firmByLine.set(f.order_line_id, list);
  }
  const orders = new Map<string, LoadedOrder>();
  const lines = new Map<string, LoadedLine>();
  const demandByOrder = new Map<string, OrderDemand>();
  for (const o of orderRows) {
    const order: LoadedOrder = {
      id: o.id,
      number: o.number,
      customerId: o.customer_id,
      channel: o.channel,
      currency: o.currency,
      shipToRegion: o.ship_to_region,
      fulfilmentPolicy: o.fulfilment_policy,
      priority: o.priority,
      flags: o.flags ?? [],
      maxWarehouses: o.max_warehouses,
      placedAt: new Date(o.placed_at),
      status: o.status,
    };
    orders.set(order.id, order);
    demandByOrder.set(order.id, {
      orderId: order.id,
      placedAt: order.placedAt,
      priority: order.priority,
      flags: order.flags,
      fulfilmentPolicy: order.fulfilmentPolicy,
      maxWarehouses: order.maxWarehouses,
      shipToRegion: order.shipToRegion,
      status: order.status,
      lines: [],
    });
  }
  for (const l of lineRows) {
    lines.set(l.id, { id: l.id, orderId: l.order_id, lineNo: l.line_no, sku: l.sku, unitPrice: l.unit_price });
    demandByOrder.get(l.order_id)!.lines.push({
      lineId: l.id,
      sku: l.sku,
      quantity: l.quantity,
      shippedQuantity: l.shipped_quantity,
      cancelledQuantity: l.cancelled_quantity,
      firmCovers: firmByLine.get(l.id) ?? [],
      currentEta: l.eta ? new Date(l.eta) : null,
    });
  }

  return {
    snapshot: {
      now,
      policy,
      warehouses,
      stock,
      inbound,
      products,
      demand: [...demandByOrder.values()],
      skusWithOpenSuggestion: suggestionRows.map((r: any) => r.sku),
      openSuggestions: suggestionRows.map((r: any) => ({ sku: r.sku, purchaseOrderLineId: r.id, quantity: r.quantity })),
      unsuppliedElsewhere: unsuppliedElsewhereRows.map((r: any) => ({ sku: r.sku, quantity: r.quantity })),
    },
    orders,
    lines,
    stockRowIds,
  };
}
