import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../../orders/order.enums';
import { badInput } from '../../shared/errors';
import { planAllocation } from '../plan-allocation';
import type { AllocationPlan, OrderPlan, PlanningSnapshot } from '../planning.types';

/**
 * A storefront question ("what if this cart were ordered now?") is answered by adding the cart to the snapshot as
 * one more order, placed now, and running the allocation planner itself: what a shop is told is what allocation
 * then does. Nothing is reserved.
 */
export interface CartLine {
  sku: string;
  quantity: number;
}

export interface ProbeOrder {
  region: string;
  lines: CartLine[];
  fulfilmentPolicy: FulfilmentPolicy;
  maxWarehouses: number | null;
}

export const PROBE_ORDER_ID = 'storefront-probe';

/** A region every warehouse reaches in no time: availability asked without a region means "leaving the warehouse". */
export const ANY_REGION = '\u0000any';

export interface PlannedProbe {
  plan: AllocationPlan;
  /** The probe orders' plans, in the order they were given. */
  probes: OrderPlan[];
}

export const probeOrderId = (index: number) => `${PROBE_ORDER_ID}-${index}`;
export const probeLineId = (order: number, line: number) => `${probeOrderId(order)}-${line}`;

/**
 * Plans the probe orders after every open order the snapshot holds (those were placed earlier). Probes for
 * different SKUs do not compete, so a catalogue page plans all of its SKUs in one run; probes of one SKU would.
 */
export function planProbes(snapshot: PlanningSnapshot, region: string, probes: Array<Omit<ProbeOrder, 'region'>>): PlannedProbe {
  const world: PlanningSnapshot = {
    ...snapshot,
    warehouses:
      region === ANY_REGION
        ? snapshot.warehouses.map((w) => ({ ...w, shippingLanes: [...w.shippingLanes, { region: ANY_REGION, days: 0, cost: 0 }] }))
        : snapshot.warehouses,
    demand: [
      ...snapshot.demand,
      ...probes.map((probe, index) => ({
        orderId: probeOrderId(index), placedAt: snapshot.now, priority: OrderPriority.NORMAL, flags: [], fulfilmentPolicy: probe.fulfilmentPolicy,
        maxWarehouses: probe.maxWarehouses, shipToRegion: region, status: OrderStatus.PENDING,
        lines: probe.lines.map((line, lineIndex) => ({
          lineId: probeLineId(index, lineIndex), sku: line.sku, quantity: line.quantity, shippedQuantity: 0, cancelledQuantity: 0,
          firmCovers: [], currentEta: null,
        })),
      })),
    ],
  };
  const plan = planAllocation(world);
  const byId = new Map(plan.orders.map((o) => [o.orderId, o]));
  return { plan, probes: probes.map((_, index) => byId.get(probeOrderId(index))!) };
}

/** One probe order for a whole cart. */
export function planProbe(snapshot: PlanningSnapshot, probe: ProbeOrder): OrderPlan {
  return planProbes(snapshot, probe.region, [probe]).probes[0];
}

/** Regions some active warehouse has a shipping lane to. */
export function servedRegions(snapshot: Pick<PlanningSnapshot, 'warehouses'>): Set<string> {
  return new Set(snapshot.warehouses.filter((w) => w.active).flatMap((w) => w.shippingLanes.map((l) => l.region)));
}

/** BAD_USER_INPUT when no active warehouse ships to the region: no date can be promised there. */
export function requireServedRegion(snapshot: Pick<PlanningSnapshot, 'warehouses'>, region: string, field = 'region'): void {
  if (!servedRegions(snapshot).has(region)) throw badInput(`No warehouse ships to ${region}`, { field, region });
}

/** The same limits placeOrder applies, so an answerable cart is a placeable one. */
export const MAX_CART_LINES = 500;
export const MAX_CART_QUANTITY = 1_000_000;

export function validateCartLines(lines: CartLine[], field = 'lines'): void {
  if (!Array.isArray(lines) || lines.length === 0) throw badInput(`${field} needs at least one line`, { field });
  if (lines.length > MAX_CART_LINES) throw badInput(`${field} may have at most ${MAX_CART_LINES} lines`, { field });
  lines.forEach((line, i) => {
    if (typeof line.sku !== 'string' || line.sku.trim() === '') throw badInput(`${field}[${i}].sku is required`, { field: `${field}[${i}].sku` });
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_CART_QUANTITY) {
      throw badInput(`${field}[${i}].quantity must be a whole number from 1 to ${MAX_CART_QUANTITY}`, { field: `${field}[${i}].quantity` });
    }
  });
}
