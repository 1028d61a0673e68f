import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { sqlArray } from '../db/sql';
import { DEMAND_STATUSES, sqlStatusList } from '../orders/order-lifecycle';
import { afterLookup, nextDemandStep, type SkuFreeRow, startDemandSearch, type WaitingLineRow } from './demand-search';

export const OPEN_ORDER_STATUSES = sqlStatusList(DEMAND_STATUSES);

/** Whether order line `l`'s SKU has units free now in an active warehouse. */
export const HAS_FREE_STOCK = `exists (select 1 from stock_level s join warehouse w on w.id = s.warehouse_id and w.active
                                 where s.sku = l.sku and s.on_hand_quantity - s.reserved_quantity - s.safety_stock > 0)`;

export interface CompetingDemand {
  /** The requested orders and every order found competing with them (closed ones included: the loader drops them). */
  orderIds: Set<string>;
  /** SKUs whose backorders were left out because nothing of them was free: the caller checks them against its stock read. */
  judgedNothingFree: Set<string>;
}

/**
 * Which orders compete for one batch: the requested orders, plus every order with backordered units of a SKU that
 * must be planned again: one whose supply changed (a requested SKU), or one of an order found that has stock free
 * now, so a newer order never takes stock that an older backorder waits for. The rule is `nextDemandStep`
 * (demand-search.ts); each lookup is one query, and the SKUs of the orders found are learnt with them.
 */
export async function selectCompetingDemand(em: EntityManager, request: { orderIds: string[]; skus: string[] }): Promise<CompetingDemand> {
  const requestedLines =
    request.orderIds.length > 0
      ? await executeBound<SkuFreeRow>(em, `select distinct l.sku, ${HAS_FREE_STOCK} as free from order_line l where l.order_id = any(?::uuid[])`, [
          sqlArray(request.orderIds),
        ])
      : [];
  let step = nextDemandStep(startDemandSearch(request, requestedLines));
  while (step.lookUp !== null) {
    const rows = await waitingOrderLines(em, step.lookUp);
    step = nextDemandStep(afterLookup(step.search, step.lookUp, rows));
  }
  return { orderIds: new Set(step.search.orderIds), judgedNothingFree: new Set(step.search.judgedNothingFree) };
}

/**
 * Every line of the open orders with backordered units of one of `skus`. Orders not yet allocated (PENDING) come
 * with their own requests, in the order they were placed: leaving them out keeps a batch as small as its requests
 * and the backorders that really compete.
 */
function waitingOrderLines(em: EntityManager, skus: string[]): Promise<WaitingLineRow[]> {
  return executeBound<WaitingLineRow>(
    em,
    `with waiting as (
       select distinct l.order_id from order_line l join sales_order o on o.id = l.order_id
       where l.sku = any(?::text[]) and l.backordered_quantity > 0 and o.status in ${OPEN_ORDER_STATUSES} and o.status <> 'PENDING')
     select w.order_id, l.sku, ${HAS_FREE_STOCK} as free from waiting w join order_line l on l.order_id = w.order_id`,
    [sqlArray(skus)],
  );
}
