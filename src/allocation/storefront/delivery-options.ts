import { AllocationKind } from '../allocation.enums';
import { FulfilmentPolicy } from '../../orders/order.enums';
import { isoDay } from '../../shared/dates';
import type { OrderPlan, PlanningSnapshot } from '../planning.types';
import { latest, Parcel, parcelsOf, sumBySku } from './parcels';
import type { EarlierDemandMemo } from './earlier-demand-memo';
import { CartLine, planProbes, probeLineId, requireServedRegion } from './probe';

export interface DeliveryQuery {
  region: string;
  lines: CartLine[];
  maxWarehouses?: number | null;
}

/** Units that arrive on one day, whatever their parcels: "7 on 26 November, 3 on 12 December". */
export interface Delivery {
  eta: Date;
  quantity: number;
  lines: Array<{ sku: string; quantity: number }>;
}

/** A cart line that cannot be ordered as it is: its product may not be backordered and stock does not cover it. */
export interface UndeliverableLine {
  sku: string;
  quantity: number;
  /** Units stock can deliver now (the most this line could be ordered for). */
  available: number;
  reason: string;
}

export interface DeliveryOption {
  fulfilmentPolicy: FulfilmentPolicy;
  /** False when some line may not be backordered beyond what stock covers: placing the cart as it is is refused. */
  deliverable: boolean;
  quantity: number;
  /** When the first units arrive; null when not deliverable. */
  firstEta: Date | null;
  /** When the last units arrive (SHIP_COMPLETE: the one date of everything); null when not deliverable. */
  eta: Date | null;
  deliveries: Delivery[];
  parcels: Parcel[];
  notDeliverable: UndeliverableLine[];
  summary: string;
}

/** Facts the planner does not carry: products that may not be backordered. */
export interface CatalogueFacts {
  noBackorderSkus: Set<string>;
  /** The remembered plan of the demand before the cart, for these snapshot rows; planned afresh without it. */
  earlierDemand?: EarlierDemandMemo;
}

/**
 * The delivery options of a whole cart, one per fulfilment policy, each planned by the allocation planner as if the
 * cart were placed now with that policy: SHIP_PARTIAL (parcels as they come), SHIP_COMPLETE (one date for all),
 * and SPLIT_ORDER when the cart would indeed be split (what ships now stays, the rest becomes a second order).
 * Pure: same snapshot, same options.
 */
export function deliveryOptions(snapshot: PlanningSnapshot, query: DeliveryQuery, facts: CatalogueFacts): DeliveryOption[] {
  requireServedRegion(snapshot, query.region);
  const policies = [FulfilmentPolicy.SHIP_PARTIAL, FulfilmentPolicy.SHIP_COMPLETE, FulfilmentPolicy.SPLIT_ORDER];
  const { groups } = planProbes(
    snapshot,
    query.region,
    policies.map((fulfilmentPolicy) => [{ lines: query.lines, fulfilmentPolicy, maxWarehouses: query.maxWarehouses ?? null }]),
    facts.earlierDemand,
  );
  const [partial, complete, split] = policies.map((policy, g) => ({
    plan: groups[g][0],
    option: optionFrom(groups[g][0], g, policy, snapshot, query.lines, facts),
  }));
  return [partial.option, complete.option, ...(split.plan.split ? [split.option] : [])];
}

function optionFrom(
  plan: OrderPlan,
  group: number,
  fulfilmentPolicy: FulfilmentPolicy,
  snapshot: PlanningSnapshot,
  cart: CartLine[],
  facts: CatalogueFacts,
): DeliveryOption {
  const notDeliverable: UndeliverableLine[] = [];
  const refusedLines = new Set<string>();
  cart.forEach((line, index) => {
    if (!facts.noBackorderSkus.has(line.sku)) return;
    const lineId = probeLineId(group, 0, index);
    const fromStock = plan.covers
      .filter((c) => c.lineId === lineId && (c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER))
      .reduce((s, c) => s + c.quantity, 0);
    if (fromStock >= line.quantity) return;
    refusedLines.add(lineId);
    notDeliverable.push({
      sku: line.sku,
      quantity: line.quantity,
      available: fromStock,
      reason: `Only ${fromStock} of ${line.quantity} × ${line.sku} can be delivered from stock, and it may not be backordered`,
    });
  });
  const kept: OrderPlan = {
    ...plan,
    covers: plan.covers.filter((c) => !refusedLines.has(c.lineId)),
    lines: plan.lines.filter((l) => !refusedLines.has(l.lineId)),
  };
  const parcels = parcelsOf(kept, snapshot, fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE);
  const deliveries = deliveriesOf(parcels);
  const deliverable = notDeliverable.length === 0;
  const quantity = cart.reduce((s, l) => s + l.quantity, 0);
  return {
    fulfilmentPolicy,
    deliverable,
    quantity,
    firstEta: deliverable ? (deliveries[0]?.eta ?? null) : null,
    eta: deliverable ? latest(deliveries.map((d) => d.eta)) : null,
    deliveries,
    parcels,
    notDeliverable,
    summary: summaryOf(fulfilmentPolicy, deliveries, notDeliverable, quantity),
  };
}

function deliveriesOf(parcels: Parcel[]): Delivery[] {
  const byDay = new Map<string, Parcel[]>();
  for (const parcel of parcels) byDay.set(isoDay(parcel.eta), [...(byDay.get(isoDay(parcel.eta)) ?? []), parcel]);
  return [...byDay.values()]
    .map((group) => ({
      eta: latest(group.map((p) => p.eta))!,
      quantity: group.reduce((s, p) => s + p.quantity, 0),
      lines: sumBySku(group.flatMap((p) => p.lines)),
    }))
    .sort((a, b) => a.eta.getTime() - b.eta.getTime());
}

/** "7 by 2026-11-26, 3 by 2026-12-12" or "all 10 by 2026-12-12", or why not. */
function summaryOf(policy: FulfilmentPolicy, deliveries: Delivery[], notDeliverable: UndeliverableLine[], quantity: number): string {
  if (notDeliverable.length > 0) return notDeliverable.map((l) => l.reason).join('; ');
  if (deliveries.length === 1) return `all ${quantity} by ${isoDay(deliveries[0].eta)}`;
  const text = deliveries.map((d) => `${d.quantity} by ${isoDay(d.eta)}`).join(', ');
  return policy === FulfilmentPolicy.SPLIT_ORDER ? `${text} (the rest as a second order)` : text;
}
