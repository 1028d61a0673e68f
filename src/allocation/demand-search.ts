/**
 * The decision rule of the search for competing demand (select-competing-demand.ts runs its queries): which SKUs'
 * backorders to look up next, and when to stop. Pure: it only sees what the queries answered.
 *
 * A SKU is looked up when a request names it (its supply changed) or when an order found so far holds it and some
 * of it is free now: its backorders compete for that stock. A SKU with nothing free is judged once and left out
 * (its backorders keep their promises); the caller checks those SKUs against the stock it reads later.
 */

/** Most lookups of waiting orders: the request's SKUs, then the free SKUs of the orders those found. */
export const DEMAND_LOOKUPS = 2;

/** One SKU of an order found, and whether any of it was free (in an active warehouse) when read. */
export interface SkuFreeRow {
  sku: string;
  free: boolean;
}

/** One line of an order waiting on a SKU looked up. */
export interface WaitingLineRow extends SkuFreeRow {
  order_id: string;
}

export interface DemandSearch {
  readonly orderIds: ReadonlySet<string>;
  /** The SKUs of the orders found, each with whether any of it was free when last read. */
  readonly skuFree: ReadonlyMap<string, boolean>;
  /** SKUs whose waiting orders were looked up. */
  readonly lookedUp: ReadonlySet<string>;
  /** SKUs to look up next (the request's SKUs at first). */
  readonly toLookUp: ReadonlySet<string>;
  /** SKUs of orders found whose backorders were left out because nothing of them was free. */
  readonly judgedNothingFree: ReadonlySet<string>;
  readonly lookups: number;
}

/** The search before any lookup: the requested orders (with their lines' SKUs) and the requested SKUs. */
export function startDemandSearch(request: { orderIds: Iterable<string>; skus: Iterable<string> }, requestedLines: SkuFreeRow[]): DemandSearch {
  return {
    orderIds: new Set(request.orderIds),
    skuFree: learnt(new Map(), requestedLines),
    lookedUp: new Set(),
    toLookUp: new Set(request.skus),
    judgedNothingFree: new Set(),
    lookups: 0,
  };
}

export type DemandStep = { search: DemandSearch; lookUp: string[] } | { search: DemandSearch; lookUp: null };

/**
 * Judges the SKUs learnt since the last step (free: to look up; nothing free: left out), then answers the SKUs
 * whose waiting orders to look up next, or `lookUp: null` when the search is over: nothing left to look up, or
 * `DEMAND_LOOKUPS` done (free SKUs judged then are not looked up; their orders' lines plan with what is there).
 */
export function nextDemandStep(search: DemandSearch): DemandStep {
  const toLookUp = new Set(search.toLookUp);
  const judgedNothingFree = new Set(search.judgedNothingFree);
  for (const [sku, free] of search.skuFree) {
    if (search.lookedUp.has(sku) || search.toLookUp.has(sku) || search.judgedNothingFree.has(sku)) continue;
    (free ? toLookUp : judgedNothingFree).add(sku);
  }
  const judged = { ...search, toLookUp, judgedNothingFree };
  if (toLookUp.size === 0 || search.lookups >= DEMAND_LOOKUPS) return { search: judged, lookUp: null };
  return { search: judged, lookUp: [...toLookUp] };
}

/** The search after a lookup of `skus` answered `rows`: the orders found join, their SKUs are learnt. */
export function afterLookup(search: DemandSearch, skus: readonly string[], rows: WaitingLineRow[]): DemandSearch {
  const orderIds = new Set(search.orderIds);
  for (const row of rows) orderIds.add(row.order_id);
  const toLookUp = new Set(search.toLookUp);
  skus.forEach((sku) => toLookUp.delete(sku));
  return {
    ...search,
    orderIds,
    skuFree: learnt(new Map(search.skuFree), rows),
    lookedUp: new Set([...search.lookedUp, ...skus]),
    toLookUp,
    lookups: search.lookups + 1,
  };
}

function learnt(skuFree: Map<string, boolean>, rows: SkuFreeRow[]): Map<string, boolean> {
  for (const row of rows) skuFree.set(row.sku, row.free);
  return skuFree;
}
