import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { sqlArray } from '../db/sql';
import { AllocationKind } from './allocation.enums';
import { StockMovedError } from './stock-moved';
import type { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';
import { OPEN_ORDER_STATUSES, selectCompetingDemand } from './select-competing-demand';
import {
  demandFrom,
  type FirmCoverRow,
  inboundFrom,
  type InboundRow,
  type LineRow,
  noBackorderSkusOf,
  type OrderRow,
  productFactsFrom,
  type ProductRow,
  stockPositionFrom,
  type StockRow,
} from './snapshot-rows';
import type { InboundSupply, PlanningPolicy, PlanningSnapshot, ProductFacts, StockPosition, WarehouseNode } from './planning.types';
import { INBOUND_PURCHASE_ORDER_STATUSES } from '../purchasing/purchase-order.entity';
import { sqlStatusList } from '../db/sql';

/** The storefront's one-statement loader builds the same search in SQL from these. */
export { HAS_FREE_STOCK, OPEN_ORDER_STATUSES } from './select-competing-demand';

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

/** A query's rows as one JSON array, to read several queries' rows in one statement (JSON keeps their order). */
const jsonRows = (query: string) => `(select coalesce(json_agg(t), '[]'::json) from (${query}) t)`;

interface WarehouseRow {
  id: string;
  code: string;
  active: boolean;
}
interface ShippingLaneRow {
  code: string;
  region: string;
  days: number;
  cost: number;
}
interface TransferLaneRow {
  from_code: string;
  to_code: string;
  days: number;
  cost: number;
}
/** The first suggested (draft) purchase order line of a SKU. */
interface SuggestionRow {
  sku: string;
  id: string;
  quantity: number;
}
interface UnsuppliedRow {
  sku: string;
  quantity: number;
}
/** The network, stock and supply, one JSON array per query. */
interface WorldRow {
  warehouses: WarehouseRow[];
  shipping_lanes: ShippingLaneRow[];
  transfer_lanes: TransferLaneRow[];
  stock: Array<StockRow & { id: string }>;
  inbound: InboundRow[];
  products: ProductRow[];
  suggestions: SuggestionRow[];
  unsupplied_elsewhere: UnsuppliedRow[];
}

/**
 * Loads everything one planning run needs, set-based (a fixed number of queries whatever the batch size), inside
 * the caller's transaction. The orders are locked (in id order) so that no API change to them interleaves.
 *
 * Demand: the requested orders and the orders competing with them (`selectCompetingDemand`). A SKU judged there to
 * have nothing free leaves its backorders as they are: their promises on inbound purchase orders are netted out of
 * what this batch may promise, and the stock read below checks that nothing of it came free since.
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
  const competing = await selectCompetingDemand(em, request);
  let orderIds = competing.orderIds;
  const judgedNothingFree = competing.judgedNothingFree;
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
  let orderRows: OrderRow[] = [];
  let allLineRows: LineRow[] = [];
  let allFirmRows: FirmCoverRow[] = [];
  if (orderIds.size > 0 && options.lockOrders) {
    // The worker locks the orders first; a later statement (its snapshot follows the commits of whoever held those
    // locks) reads their lines and covers, both in one round trip.
    orderRows = await executeBound<OrderRow>(em, ordersQuery, [ids]);
    const [demand] = await executeBound<{ lines: LineRow[]; firm: FirmCoverRow[] }>(
      em,
      `select ${jsonRows(linesQuery)} as lines, ${jsonRows(firmQuery)} as firm`,
      [ids, ids],
    );
    ({ lines: allLineRows, firm: allFirmRows } = demand);
  } else if (orderIds.size > 0) {
    // A read that locks nothing takes the three in one round trip.
    const [demand] = await executeBound<{ orders: OrderRow[]; lines: LineRow[]; firm: FirmCoverRow[] }>(
      em,
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
  const [world] = await executeBound<WorldRow>(
    em,
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
                    where pl.sku = any(?::text[]) and p.status in ${sqlStatusList(INBOUND_PURCHASE_ORDER_STATUSES)} and p.drop_ship_order_id is null
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
  const {
    warehouses: warehouseRows,
    shipping_lanes: shippingLaneRows,
    transfer_lanes: transferLaneRows,
    stock: stockRows,
    inbound: inboundRows,
  } = world;
  const { products: productRows, suggestions: suggestionRows, unsupplied_elsewhere: unsuppliedElsewhereRows } = world;

  const warehouses: WarehouseNode[] = warehouseRows.map((w) => ({
    code: w.code,
    active: w.active,
    shippingLanes: shippingLaneRows.filter((l) => l.code === w.code).map((l) => ({ region: l.region, days: l.days, cost: Number(l.cost) })),
    transferLanes: transferLaneRows
      .filter((l) => l.from_code === w.code)
      .map((l) => ({ toWarehouseCode: l.to_code, days: l.days, cost: Number(l.cost) })),
  }));
  if (options.lockOrders) {
    // Each statement sees the latest commits: stock that came free after the demand search judged a SKU to have none
    // would go to the orders loaded for other SKUs, ahead of that SKU's older backorders. Plan again instead.
    const active = new Set(warehouseRows.filter((w) => w.active).map((w) => w.code));
    const cameFree = stockRows.filter(
      (s) => judgedNothingFree.has(s.sku) && active.has(s.code) && s.on_hand_quantity - s.reserved_quantity - s.safety_stock > 0,
    );
    if (cameFree.length > 0) throw new StockMovedError(cameFree.map((s) => stockKey(s.sku, s.code)));
  }
  const stockRowIds = new Map<string, string>();
  const stock: StockPosition[] = stockRows.map((s) => {
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
      skusWithOpenSuggestion: suggestionRows.map((r) => r.sku),
      openSuggestions: suggestionRows.map((r) => ({ sku: r.sku, purchaseOrderLineId: r.id, quantity: r.quantity })),
      unsuppliedElsewhere: unsuppliedElsewhereRows.map((r) => ({ sku: r.sku, quantity: r.quantity })),
    },
    orders,
    lines,
    stockRowIds,
    noBackorderSkus: noBackorderSkusOf(productRows),
  };
}
