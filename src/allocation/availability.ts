import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../orders/order.enums';
import { badInput, notFound } from '../shared/errors';
import { AllocationKind } from './allocation.enums';
import { loadSnapshot } from './load-snapshot';
import { addDays } from '../shared/dates';
import { planAllocation } from './plan-allocation';
import type { PlanningPolicy, PlanningSnapshot } from './planning.types';

export interface AvailabilityView {
  sku: string;
  quantity: number;
  region: string | null;
  /** Units a new order could take from stock now, over all active warehouses, after the demand served before it. */
  availableNow: number;
  /** When all `quantity` units could reach the region; null if no supply or lead time covers them. */
  eta: Date | null;
  perWarehouse: Array<{ warehouseCode: string; available: number; eta: Date | null }>;
}

const PROBE_ORDER = 'availability-probe';
/** A region every warehouse reaches in no time: availability asked without a region means "leaving the warehouse". */
const ANY_REGION = '\u0000any';

/**
 * What a new order for `quantity` units would be told, computed by the allocation planner itself over the same
 * snapshot the worker would load (stock, transfers, inbound purchase orders, and every open backorder that would be
 * served first). Read-only: nothing is reserved.
 */
export class AvailabilityService {
  constructor(private readonly orm: MikroORM, private readonly policyFor: (em: EntityManager) => Promise<PlanningPolicy>) {}

  check(query: AvailabilityQuery, now = new Date()): Promise<AvailabilityView> {
    return checkAvailability(this.orm, this.policyFor, query, now);
  }
}

export interface AvailabilityQuery {
  sku: string;
  quantity: number;
  region?: string | null;
}

export async function checkAvailability(
  orm: MikroORM,
  policyFor: (em: EntityManager) => Promise<PlanningPolicy>,
  query: AvailabilityQuery,
  now = new Date(),
): Promise<AvailabilityView> {
  if (!Number.isInteger(query.quantity) || query.quantity < 1) throw badInput('quantity must be a whole number of at least 1', { field: 'quantity' });
  const em = orm.em.fork();
  const [product] = await em.execute(`select sku from product where sku = ?`, [query.sku]);
  if (!product) throw notFound(`No product ${query.sku}`);
  const policy = await policyFor(em);
  const batch = await loadSnapshot(em, { orderIds: [], skus: [query.sku] }, policy, now, { lockOrders: false });
  const region = query.region ?? ANY_REGION;
  const snapshot: PlanningSnapshot = {
    ...batch.snapshot,
    warehouses: query.region
      ? batch.snapshot.warehouses
      : batch.snapshot.warehouses.map((w) => ({ ...w, shippingLanes: [...w.shippingLanes, { region: ANY_REGION, days: 0, cost: 0 }] })),
    demand: [
      ...batch.snapshot.demand,
      {
        orderId: PROBE_ORDER, placedAt: now, priority: OrderPriority.NORMAL, flags: [], fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
        maxWarehouses: null, shipToRegion: region, status: OrderStatus.PENDING,
        lines: [{ lineId: PROBE_ORDER, sku: query.sku, quantity: query.quantity, shippedQuantity: 0, cancelledQuantity: 0, firmCovers: [], currentEta: null }],
      },
    ],
  };
  const plan = planAllocation(snapshot);
  const probe = plan.orders.find((o) => o.orderId === PROBE_ORDER)!;
  // Stock, inbound purchase orders, drop ship or the lead time always cover the units: the last of them is the ETA.
  const eta = probe.covers.length > 0 ? new Date(Math.max(...probe.covers.map((c) => c.eta.getTime()))) : null;

  // Per warehouse: stock left after the demand served before this order, and when this warehouse could deliver.
  const takenByOthers = new Map<string, number>();
  for (const order of plan.orders) {
    if (order.orderId === PROBE_ORDER) continue;
    for (const c of order.covers) {
      const from = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
      if (from) takenByOthers.set(from, (takenByOthers.get(from) ?? 0) + c.quantity);
    }
  }
  const perWarehouse = snapshot.warehouses
    .filter((w) => w.active)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((w) => {
      const stock = snapshot.stock.find((s) => s.warehouseCode === w.code && s.sku === query.sku);
      const available = Math.max(0, (stock?.available ?? 0) - (takenByOthers.get(w.code) ?? 0));
      const lane = w.shippingLanes.find((l) => l.region === region);
      return { warehouseCode: w.code, available, eta: available > 0 && lane ? addDays(now, lane.days) : null };
    });
  const availableNow = perWarehouse.reduce((sum, w) => sum + w.available, 0);
  return { sku: query.sku, quantity: query.quantity, region: query.region ?? null, availableNow, eta, perWarehouse };
}
