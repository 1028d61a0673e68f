import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../../orders/order.enums';
import { badInput } from '../../shared/errors';
import { planEarlierDemand, planProbeGroupsAfter } from '../plan-allocation';
import type { EarlierDemandMemo } from './earlier-demand-memo';
import type { OrderDemand, OrderPlan, PlanningSnapshot } from '../planning.types';

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

export interface PlannedProbes {
  /** Plans of the open orders that go before the probes (they were placed earlier, or matter more). */
  earlier: OrderPlan[];
  /** Each group's probe plans, in the order given. */
  groups: OrderPlan[][];
}

export const probeOrderId = (group: number, order: number) => `${PROBE_ORDER_ID}-${group}-${order}`;
export const probeLineId = (group: number, order: number, line: number) => `${probeOrderId(group, order)}-${line}`;

/**
 * Plans groups of probe orders, each group as if it were placed now after every open order before it: the planner
 * plans that earlier demand once, and each group on its own copy of what is left (so groups do not compete).
 * Within a group, probes for different SKUs do not compete either, so a catalogue page is one group. Given the memo
 * of this snapshot's rows, the earlier demand's plan is taken from it while it still holds.
 */
export function planProbes(
  snapshot: PlanningSnapshot,
  region: string,
  groups: Array<Array<Omit<ProbeOrder, 'region'>>>,
  memo?: EarlierDemandMemo,
): PlannedProbes {
  const world: PlanningSnapshot =
    region === ANY_REGION
      ? {
          ...snapshot,
          warehouses: snapshot.warehouses.map((w) => ({ ...w, shippingLanes: [...w.shippingLanes, { region: ANY_REGION, days: 0, cost: 0 }] })),
        }
      : snapshot;
  const demand = groups.map((group, g) =>
    group.map((probe, index): OrderDemand => ({
      orderId: probeOrderId(g, index),
      placedAt: snapshot.now,
      priority: OrderPriority.NORMAL,
      flags: [],
      fulfilmentPolicy: probe.fulfilmentPolicy,
      maxWarehouses: probe.maxWarehouses,
      shipToRegion: region,
      status: OrderStatus.PENDING,
      lines: probe.lines.map((line, lineIndex) => ({
        lineId: probeLineId(g, index, lineIndex),
        sku: line.sku,
        quantity: line.quantity,
        shippedQuantity: 0,
        cancelledQuantity: 0,
        firmCovers: [],
        currentEta: null,
      })),
    })),
  );
  const probe = { orderId: probeOrderId(0, 0), placedAt: snapshot.now, priority: OrderPriority.NORMAL, flags: [] };
  const before = memo ? memo.planFor(world, region, probe) : planEarlierDemand(world, probe);
  const planned = planProbeGroupsAfter(world, before, demand);
  return {
    earlier: before.earlier,
    groups: planned.map((plans, g) => {
      const byId = new Map(plans.map((p) => [p.orderId, p]));
      return demand[g].map((d) => byId.get(d.orderId)!);
    }),
  };
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
