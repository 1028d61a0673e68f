import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { sqlArray } from '../db/sql';
import { AllocationKind } from './allocation.enums';
import { StockMovedError } from './stock-moved';
import { DEMAND_STATUSES, sqlStatusList } from '../orders/order-lifecycle';
import type { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';
import { demandFrom, inboundFrom, noBackorderSkusOf, productFactsFrom, stockPositionFrom } from './snapshot-rows';
import type {
  InboundSupply,
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
  /** SKUs of the snapshot whose product may not be backordered (placeOrder refuses them beyond stock). */
  noBackorderSkus: Set<string>;
}

export const stockKey = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;

export const OPEN_ORDER_STATUSES = sqlStatusList(DEMAND_STATUSES);
/** A query's rows as one JSON array, to read several queries' rows in one statement (JSON keeps their order). */
const jsonRows = (query: string) => `(select coalesce(json_agg(t), '[]'::json) from (${query}) t)`;

/** Whether order line `l`'s SKU has units free now in an active warehouse. */
export const HAS_FREE_STOCK = `exists (select 1 from stock_level s join warehouse w on w.id = s.warehouse_id and w.active
                                 where s.sku = l.sku and s.on_hand_quantity - s.reserved_quantity - s.safety_stock > 0)`;

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
  /** A promise lets the caller read the settings alongside (the loader only hands them on). */
  policy: PlanningPolicy | Promise<PlanningPolicy>,
  now: Date,
  options: { lockOrders: boolean } = { lockOrders: true },
): Promise<LoadedBatch> {
  const settings = Promise.resolve(policy);
  settings.catch(() => undefined); // awaited below; a failure then is the caller's, not an unhandled rejection
  let orderIds = new Set(request.orderIds);
  const replanned = new Set<string>();
  const examined = new Set<string>();
  let toReplan = new Set(request.skus);
  // The SKUs of the orders found so far, each with whether any of it is free now: learnt with the orders, so a
  // round costs one query.
  const skuFree = new Map<string, boolean>();
  const learn = (rows: Array<{ sku: string; free: boolean }>) => rows.forEach((r) => skuFree.set(r.sku, r.free));
  /** SKUs whose backorders were left out because nothing of them was free (checked against the stock read below). */
  const judgedNothingFree = new Set<string>();
  if (orderIds.size > 0) {
    learn(await executeBound(em, `select distinct l.sku, ${HAS_FREE_STOCK} as free from order_line l where l.order_id = any(?::uuid[])`, [sqlArray(orderIds)]));
  }
  for (let round = 0; round < 3; round++) {
    const unexamined = [...skuFree.keys()].filter((sku) => !examined.has(sku) && !replanned.has(sku) && !toReplan.has(sku));
    unexamined.forEach((sku) => examined.add(sku));
    unexamined.forEach((sku) => (skuFree.get(sku) ? toReplan : judgedNothingFree).add(sku));
    if (toReplan.size === 0 || round === 2) break;
    // Orders not yet allocated (PENDING) come with their own requests, in the order they were placed: leaving them
    // out here keeps a batch as small as its requests and the backorders that really compete.
    const waiting: Array<{ order_id: string; sku: string; free: boolean }> = await executeBound(em,
      `with waiting as (
         select distinct l.order_id from order_line l join sales_order o on o.id = l.order_id
         where l.sku = any(?::text[]) and l.backordered_quantity > 0 and o.status in ${OPEN_ORDER_STATUSES} and o.status <> 'PENDING')
       select w.order_id, l.sku, ${HAS_FREE_STOCK} as free from waiting w join order_line l on l.order_id = w.order_id`,
      [sqlArray(toReplan)],
    );
    toReplan.forEach((sku) => replanned.add(sku));
    toReplan = new Set();
    const before = orderIds.size;
    for (const row of waiting) orderIds.add(row.order_id);
    learn(waiting);
    if (orderIds.size === before) break;
  }
  const ordersQuery = `select id, number::text as number, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                              max_warehouses, placed_at, status
                       from sales_order where id = any(?::uuid[]) and status in ${OPEN_ORDER_STATUSES}
                       order by id ${options.lockOrders ? 'for update' : ''}`;
  const linesQuery = `select id, order_id, line_no, sku, quantity, unit_price::text as unit_price, shipped_quantity, cancelled_quantity, eta
                      from order_line where order_id = any(?::uuid[]) order by order_id, line_no`;
  const firmQuery = `select a.order_line_id, a.kind, a.warehouse_code, a.quantity, a.eta, p.supplier
                     from allocation a
                     join order_line l on l.id = a.order_line_id
                     left join purchase_order_line pl on pl.id = a.purchase_order_line_id
                     left join purchase_order p on p.id = pl.purchase_order_id
                     where l.order_id = any(?::uuid[]) and a.status = 'ACTIVE' and a.kind <> '${AllocationKind.WAIT}'`;
  const ids = sqlArray(orderIds);
  let orderRows: any[] = [];
  let allLineRows: any[] = [];
  let allFirmRows: any[] = [];
  if (orderIds.size > 0 && options.lockOrders) {
    // The worker locks the orders first; a later statement (its snapshot follows the commits of whoever held those
    // locks) reads their lines and covers, both in one round trip.
    orderRows = await executeBound(em, ordersQuery, [ids]);
    const [demand] = await executeBound<any>(em, `select ${jsonRows(linesQuery)} as lines, ${jsonRows(firmQuery)} as firm`, [ids, ids]);
    ({ lines: allLineRows, firm: allFirmRows } = demand);
  } else if (orderIds.size > 0) {
    // A read that locks nothing takes the three in one round trip.
    const [demand] = await executeBound<any>(em,
      `select ${jsonRows(ordersQuery)} as orders, ${jsonRows(linesQuery)} as lines, ${jsonRows(firmQuery)} as firm`,
      [ids, ids, ids],
    );
    ({ orders: orderRows, lines: allLineRows, firm: allFirmRows } = demand);
  }
  // Only open orders are planned: lines and covers of the others (a closed order asked for) are left out.
  orderIds = new Set(orderRows.map((o) => o.id));
  const lineRows = allLineRows.filter((l) => orderIds.has(l.order_id));
  const openLineIds = new Set(lineRows.map((l) => l.id));
  const firmRows = allFirmRows.filter((f) => openLineIds.has(f.order_line_id));
  const skus = new Set([...request.skus, ...lineRows.map((l) => l.sku)]);
  const lineIds = lineRows.map((l) => l.id);

  const skuList = [...skus];
  // The network, stock and supply in one statement: one round trip.
  const rows = jsonRows;
  const [world] = await executeBound<any>(em,
    `select ${rows(`select id, code, active from warehouse`)} as warehouses,
            ${rows(`select w.code, l.region, l.days, l.cost from shipping_lane l join warehouse w on w.id = l.warehouse_id`)} as shipping_lanes,
            ${rows(`select f.code as from_code, t.code as to_code, l.days, l.cost
                    from transfer_lane l join warehouse f on f.id = l.from_warehouse_id join warehouse t on t.id = l.to_warehouse_id`)} as transfer_lanes,
            ${rows(`select s.id::text as id, s.sku, w.code, s.on_hand_quantity, s.reserved_quantity, s.safety_stock
                    from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku = any(?::text[])`)} as stock,
            ${rows(`select pl.id, p.number::text as number, pl.sku, p.warehouse_code, p.expected_at,
                           pl.quantity - pl.received_quantity - coalesce((
                             select sum(a.quantity) from allocation a
                             where a.purchase_order_line_id = pl.id and a.status = 'ACTIVE' and a.kind = 'WAIT'
                               and not (a.order_line_id = any(?::uuid[]))), 0) as unpromised
                    from purchase_order_line pl join purchase_order p on p.id = pl.purchase_order_id
                    where pl.sku = any(?::text[]) and p.status in ('OPEN','PARTIALLY_RECEIVED') and p.drop_ship_order_id is null
                      and p.warehouse_code is not null and pl.received_quantity < pl.quantity`)} as inbound,
            ${rows(`select sku, lead_time_days, drop_ship, supplier, reorder_point, reorder_quantity, backorder_policy from product where sku = any(?::text[])`)} as products,
            ${rows(`select distinct on (l.sku) l.sku, l.id, l.quantity from purchase_order_line l join purchase_order p on p.id = l.purchase_order_id
                    where p.status = 'DRAFT' and p.suggested and l.sku = any(?::text[]) order by l.sku, p.created_at, l.id`)} as suggestions,
            ${rows(`select a.sku, sum(a.quantity)::int as quantity from allocation a
                    where a.sku = any(?::text[]) and a.status = 'ACTIVE' and a.kind = 'WAIT' and a.purchase_order_line_id is null
                      and not (a.order_line_id = any(?::uuid[]))
                    group by a.sku`)} as unsupplied_elsewhere`,
    [sqlArray(skuList), sqlArray(lineIds), sqlArray(skuList), sqlArray(skuList), sqlArray(skuList), sqlArray(skuList), sqlArray(lineIds)],
  );
  const { warehouses: warehouseRows, shipping_lanes: shippingLaneRows, transfer_lanes: transferLaneRows, stock: stockRows, inbound: inboundRows } = world;
  const { products: productRows, suggestions: suggestionRows, unsupplied_elsewhere: unsuppliedElsewhereRows } = world;

  const warehouses: WarehouseNode[] = warehouseRows.map((w: any) => ({
    code: w.code,
    active: w.active,
    shippingLanes: shippingLaneRows.filter((l: any) => l.code === w.code).map((l: any) => ({ region: l.region, days: l.days, cost: Number(l.cost) })),
    transferLanes: transferLaneRows
      .filter((l: any) => l.from_code === w.code)
      .map((l: any) => ({ toWarehouseCode: l.to_code, days: l.days, cost: Number(l.cost) })),
  }));
  if (options.lockOrders) {
    // Each statement sees the latest commits: stock that came free after the rounds above judged a SKU to have none
    // would go to the orders loaded for other SKUs, ahead of that SKU's older backorders. Plan again instead.
    const active = new Set(warehouseRows.filter((w: any) => w.active).map((w: any) => w.code));
    const cameFree = stockRows.filter(
      (s: any) => judgedNothingFree.has(s.sku) && active.has(s.code) && s.on_hand_quantity - s.reserved_quantity - s.safety_stock > 0,
    );
    if (cameFree.length > 0) throw new StockMovedError(cameFree.map((s: any) => stockKey(s.sku, s.code)));
  }
  const stockRowIds = new Map<string, string>();
  const stock: StockPosition[] = stockRows.map((s: any) => {
    stockRowIds.set(stockKey(s.sku, s.code), s.id);
    return stockPositionFrom(s);
  });
  const inbound: InboundSupply[] = inboundRows.map(inboundFrom);
  const products: ProductFacts[] = productRows.map(productFactsFrom);
  const { orders, lines, demand } = demandFrom(orderRows, lineRows, firmRows);

  return {
    snapshot: {
      now,
      policy: await settings,
      warehouses,
      stock,
      inbound,
      products,
      demand,
      skusWithOpenSuggestion: suggestionRows.map((r: any) => r.sku),
      openSuggestions: suggestionRows.map((r: any) => ({ sku: r.sku, purchaseOrderLineId: r.id, quantity: r.quantity })),
      unsuppliedElsewhere: unsuppliedElsewhereRows.map((r: any) => ({ sku: r.sku, quantity: r.quantity })),
    },
    orders,
    lines,
    stockRowIds,
    noBackorderSkus: noBackorderSkusOf(productRows),
  };
}
