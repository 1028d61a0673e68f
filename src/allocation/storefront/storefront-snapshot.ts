import { sqlArray } from '../../db/sql';
import type { SqlRunner } from '../../db/sql-runner';
import { ReferenceDataCache } from '../../reference-data/reference-cache';
import { AllocationKind } from '../allocation.enums';
import { HAS_FREE_STOCK, OPEN_ORDER_STATUSES } from '../load-snapshot';
import type { PlanningSnapshot, WarehouseNode } from '../planning.types';
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
} from '../snapshot-rows';
import { EarlierDemandMemo } from './earlier-demand-memo';
import { ParsedRows, StorefrontRowsMemo } from './rows-memo';
import { INBOUND_PURCHASE_ORDER_STATUSES } from '../../purchasing/purchase-order.entity';
import { sqlStatusList } from '../../db/sql';

// As text: the memo compares the rows as they came (src/allocation/storefront/rows-memo.ts) and parses them only when new.
const rows = (query: string) => `(select coalesce(json_agg(t), '[]'::json)::text from (${query}) t)`;

/**
 * Open orders, not PENDING, with backordered units of a SKU in `skus`. One index probe per SKU (the lateral
 * subquery, kept apart by `offset 0`): left to itself the planner may read the whole partial index of backordered
 * lines and join, and right after a large receipt that index is thousands of dead entries until vacuum runs.
 */
const waitingOn = (skus: string) => `select distinct b.order_id from (${skus}) k(sku) cross join lateral (
    select l.order_id from order_line l join sales_order o on o.id = l.order_id
    where l.sku = k.sku and l.backordered_quantity > 0 and o.status in ${OPEN_ORDER_STATUSES} and o.status <> 'PENDING' offset 0) b`;

/**
 * Everything a storefront question needs, in one statement (so one committed state, with no transaction around it),
 * prepared once per connection: the demand `loadSnapshot` would find for these SKUs with no order asked for (its two
 * rounds: orders waiting on the SKUs, then orders waiting on the other SKUs of those orders that have stock free),
 * their lines and covers, then stock, inbound supply and products of every SKU involved, and the reference data
 * when the cache's copy is not this snapshot's. test/integration/storefront-snapshot.test.ts holds it to
 * loadSnapshot's answer.
 */
const STOREFRONT_SNAPSHOT = {
  name: 'storefront-snapshot',
  text: `with asked as (select distinct unnest($1::text[]) as sku),
    w0 as (${waitingOn('select sku from asked')}),
    s1 as (select distinct l.sku from w0 join order_line l on l.order_id = w0.order_id
           where l.sku not in (select sku from asked) and ${HAS_FREE_STOCK}),
    w1 as (${waitingOn('select sku from s1')}),
    demand_orders as (select id, number::text as number, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                             max_warehouses, placed_at, status
                      from sales_order where id in (select order_id from w0 union select order_id from w1) and status in ${OPEN_ORDER_STATUSES}),
    demand_lines as (select l.id, l.order_id, l.line_no, l.sku, l.quantity, l.unit_price::text as unit_price, l.shipped_quantity,
                            l.cancelled_quantity, l.eta
                     from order_line l where l.order_id in (select id from demand_orders)),
    skus as (select sku from asked union select sku from demand_lines)
  select ${rows(`select * from demand_orders order by id`)} as orders,
         ${rows(`select * from demand_lines order by order_id, line_no`)} as lines,
         ${rows(`select a.order_line_id, a.kind, a.warehouse_code, a.quantity, a.eta, p.supplier
                 from allocation a
                 left join purchase_order_line pl on pl.id = a.purchase_order_line_id
                 left join purchase_order p on p.id = pl.purchase_order_id
                 where a.order_line_id in (select id from demand_lines) and a.status = 'ACTIVE' and a.kind <> '${AllocationKind.WAIT}'`)} as firm,
         ${rows(`select s.sku, w.code, s.on_hand_quantity, s.reserved_quantity, s.safety_stock
                 from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku in (select sku from skus)`)} as stock,
         ${rows(`select pl.id, p.number::text as number, pl.sku, p.warehouse_code, p.expected_at,
                        pl.quantity - pl.received_quantity - coalesce((
                          select sum(a.quantity) from allocation a
                          where a.purchase_order_line_id = pl.id and a.status = 'ACTIVE' and a.kind = 'WAIT'
                            and a.order_line_id not in (select id from demand_lines)), 0) as unpromised
                 from purchase_order_line pl join purchase_order p on p.id = pl.purchase_order_id
                 where pl.sku in (select sku from skus) and p.status in ${sqlStatusList(INBOUND_PURCHASE_ORDER_STATUSES)} and p.drop_ship_order_id is null
                   and p.warehouse_code is not null and pl.received_quantity < pl.quantity`)} as inbound,
         ${rows(`select sku, lead_time_days, drop_ship, supplier, reorder_point, reorder_quantity, backorder_policy
                 from product where sku in (select sku from skus)`)} as products,
         ${ReferenceDataCache.column('$2')} as reference`,
};

/** The statement's one row: each query's rows as a JSON array, and the reference data column. */
/** The row arrays come as JSON text: the memo compares the text and parses it only when it is new. */
interface StorefrontSnapshotRow {
  orders: string;
  lines: string;
  firm: string;
  stock: string;
  inbound: string;
  products: string;
  reference: Parameters<ReferenceDataCache['accept']>[0];
}

export interface StorefrontSnapshot {
  /** What the planner needs for probe orders (no reorder suggestions: a question raises none). */
  snapshot: PlanningSnapshot;
  /** SKUs asked for that name no product. */
  unknownSkus: string[];
  noBackorderSkus: Set<string>;
  /** The plan of the earlier demand of these very rows, remembered (src/allocation/storefront/earlier-demand-memo.ts). */
  earlierDemand: EarlierDemandMemo;
}

/** `memo`: rows seen before (the same text, the same reference data version) are not parsed again, and keep their memo. */
export async function loadStorefrontSnapshot(
  run: SqlRunner,
  cache: ReferenceDataCache,
  skus: string[],
  now: Date,
  memo = new StorefrontRowsMemo(0),
): Promise<StorefrontSnapshot> {
  const wanted = [...new Set(skus)];
  const [row] = await run<StorefrontSnapshotRow>(STOREFRONT_SNAPSHOT, [sqlArray(wanted), cache.heldVersion]);
  const reference = cache.accept(row.reference);
  const texts = [row.orders, row.lines, row.firm, row.stock, row.inbound, row.products];
  const parsed = memo.rowsOf(`${reference.version}\u0001${texts.join('\u0001')}`, (): ParsedRows => {
    const orders = JSON.parse(row.orders) as OrderRow[];
    const lines = JSON.parse(row.lines) as LineRow[];
    const firm = JSON.parse(row.firm) as FirmCoverRow[];
    const stock = JSON.parse(row.stock) as StockRow[];
    const inbound = JSON.parse(row.inbound) as InboundRow[];
    const products = JSON.parse(row.products) as ProductRow[];
    return {
      world: {
        policy: reference.policy,
        warehouses: reference.warehouses as WarehouseNode[],
        stock: stock.map(stockPositionFrom),
        inbound: inbound.map(inboundFrom),
        products: products.map(productFactsFrom),
        demand: demandFrom(orders, lines, firm).demand,
        skusWithOpenSuggestion: [],
      },
      knownSkus: new Set(products.map((p) => p.sku)),
      noBackorderSkus: noBackorderSkusOf(products),
      earlierDemand: new EarlierDemandMemo(),
    };
  });
  return {
    snapshot: { now, ...parsed.world },
    unknownSkus: wanted.filter((sku) => !parsed.knownSkus.has(sku)),
    noBackorderSkus: parsed.noBackorderSkus,
    earlierDemand: parsed.earlierDemand,
  };
}
