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
 * What new orders for these SKUs would be told, each planned as a one-line order after all open demand, in as
 * few planner runs as there are repeats of one SKU (usually one). A region no warehouse ships to is refused.
 */
export function availabilityAnswers(snapshot: PlanningSnapshot, queries: AvailabilityQuery[], facts: CatalogueFacts): AvailabilityView[] {
  const regions = new Set(queries.map((q) => q.region ?? ANY_REGION));
  for (const region of regions) if (region !== ANY_REGION) requireServedRegion(snapshot, region);
  const answers = new Array<AvailabilityView>(queries.length);
  for (const round of rounds(queries)) {
    const region = queries[round[0]].region ?? ANY_REGION;
    const { plan, probes } = planProbes(
      snapshot,
      region,
      round.map((i) => ({ lines: [{ sku: queries[i].sku, quantity: queries[i].quantity }], fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL, maxWarehouses: null })),
    );
    const probeIds = new Set(probes.map((p) => p.orderId));
    const taken = takenByEarlierDemand(plan.orders.filter((o) => !probeIds.has(o.orderId)));
    round.forEach((queryIndex, i) => {
      answers[queryIndex] = answerFrom(snapshot, queries[queryIndex], region, probes[i], taken, facts);
    });
  }
  return answers;
}

/** Groups of query indexes planned together: one region each, no SKU twice. */
function rounds(queries: AvailabilityQuery[]): number[][] {
  const out: Array<{ region: string; skus: Set<string>; members: number[] }> = [];
  queries.forEach((q, index) => {
    const region = q.region ?? ANY_REGION;
    let round = out.find((r) => r.region === region && !r.skus.has(q.sku));
    if (!round) out.push((round = { region, skus: new Set(), members: [] }));
    round.skus.add(q.sku);
    round.members.push(index);
  });
  return out.map((r) => r.members);
}

const stockKeyOf = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;

/** Stock the open orders are planned to take, per SKU and warehouse. */
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
