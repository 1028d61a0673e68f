import { AllocationKind } from '../allocation.enums';
import { FulfilmentPolicy } from '../../orders/order.enums';
import { addDays } from '../../shared/dates';
import type { OrderPlan, PlanningSnapshot } from '../planning.types';
import { latest, Parcel, parcelsOf } from './parcels';
import { ANY_REGION, planProbes, requireServedRegion } from './probe';
import type { CatalogueFacts } from './delivery-options';

export interface AvailabilityQuery {
  sku: string;
  quantity: number;
  region?: string | null;
}

export interface AvailabilityView {
  sku: string;
  quantity: number;
  region: string | null;
  /** Units a new order could take from stock now, over all active warehouses, after the demand served before it. */
  availableNow: number;
  /** When all `quantity` units could reach the region; null if they cannot be promised (no backorders allowed). */
  eta: Date | null;
  /** False when the product may not be backordered and stock does not cover the quantity. */
  deliverable: boolean;
  notDeliverableReason: string | null;
  /** Every tranche of the quantity: what ships now from where, what waits for which purchase order, the rest. */
  tranches: Parcel[];
  perWarehouse: Array<{ warehouseCode: string; available: number; eta: Date | null }>;
}

/**
 * What new orders for these SKUs would be told, each planned as a one-line order after the open demand that goes
 * before it, which is planned once per region; a SKU asked twice is planned apart. A region no warehouse ships
 * to is refused.
 */
export function availabilityAnswers(snapshot: PlanningSnapshot, queries: AvailabilityQuery[], facts: CatalogueFacts): AvailabilityView[] {
  const regions = new Set(queries.map((q) => q.region ?? ANY_REGION));
  for (const region of regions) if (region !== ANY_REGION) requireServedRegion(snapshot, region);
  const answers = new Array<AvailabilityView>(queries.length);
  for (const region of regions) {
    const groups = rounds(queries, region);
    const { earlier, groups: plans } = planProbes(
      snapshot,
      region,
      groups.map((group) =>
        group.map((i) => ({
          lines: [{ sku: queries[i].sku, quantity: queries[i].quantity }],
          fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
          maxWarehouses: null,
        })),
      ),
      facts.earlierDemand,
    );
    const taken = takenByEarlierDemand(earlier);
    groups.forEach((group, g) =>
      group.forEach((queryIndex, i) => {
        answers[queryIndex] = answerFrom(snapshot, queries[queryIndex], region, plans[g][i], taken, facts);
      }),
    );
  }
  return answers;
}

/** The queries of one region in groups planned together: no SKU twice in a group, so none competes. */
function rounds(queries: AvailabilityQuery[], region: string): number[][] {
  const out: Array<{ skus: Set<string>; members: number[] }> = [];
  queries.forEach((q, index) => {
    if ((q.region ?? ANY_REGION) !== region) return;
    let round = out.find((r) => !r.skus.has(q.sku));
    if (!round) out.push((round = { skus: new Set(), members: [] }));
    round.skus.add(q.sku);
    round.members.push(index);
  });
  return out.map((r) => r.members);
}

const stockKeyOf = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;

/** Stock the open orders served before a new one are planned to take, per SKU and warehouse. */
function takenByEarlierDemand(orders: OrderPlan[]): Map<string, number> {
  const taken = new Map<string, number>();
  for (const order of orders) {
    for (const c of order.covers) {
      const from = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
      if (from) taken.set(stockKeyOf(c.sku, from), (taken.get(stockKeyOf(c.sku, from)) ?? 0) + c.quantity);
    }
  }
  return taken;
}

function answerFrom(
  snapshot: PlanningSnapshot,
  query: AvailabilityQuery,
  region: string,
  probe: OrderPlan,
  taken: Map<string, number>,
  facts: CatalogueFacts,
): AvailabilityView {
  const tranches = parcelsOf(probe, snapshot, false);
  const fromStock = tranches.filter((t) => t.kind === AllocationKind.PULL || t.kind === AllocationKind.TRANSFER).reduce((s, t) => s + t.quantity, 0);
  const deliverable = !facts.noBackorderSkus.has(query.sku) || fromStock >= query.quantity;
  const perWarehouse = snapshot.warehouses
    .filter((w) => w.active)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((w) => {
      const stock = snapshot.stock.find((s) => s.warehouseCode === w.code && s.sku === query.sku);
      const available = Math.max(0, (stock?.available ?? 0) - (taken.get(stockKeyOf(query.sku, w.code)) ?? 0));
      const lane = region === ANY_REGION ? { days: 0 } : w.shippingLanes.find((l) => l.region === region);
      return { warehouseCode: w.code, available, eta: available > 0 && lane ? addDays(snapshot.now, lane.days) : null };
    });
  return {
    sku: query.sku,
    quantity: query.quantity,
    region: query.region ?? null,
    availableNow: perWarehouse.reduce((sum, w) => sum + w.available, 0),
    // Stock, inbound purchase orders, drop ship or the lead time always cover the units: the last of them is the ETA.
    eta: deliverable ? latest(tranches.map((t) => t.eta)) : null,
    deliverable,
    notDeliverableReason: deliverable
      ? null
      : `Only ${fromStock} of ${query.quantity} × ${query.sku} can be delivered from stock, and it may not be backordered`,
    tranches: deliverable ? tranches : tranches.filter((t) => t.kind === AllocationKind.PULL || t.kind === AllocationKind.TRANSFER),
    perWarehouse,
  };
}
