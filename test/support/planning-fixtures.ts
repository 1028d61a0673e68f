import { AllocationKind } from '../../src/allocation/allocation.enums';
import type {
  AllocationPlan,
  DemandLine,
  FirmCover,
  InboundSupply,
  OrderDemand,
  OrderPlan,
  PlannedCover,
  PlanningPolicy,
  PlanningSnapshot,
  ProductFacts,
  StockPosition,
  WarehouseNode,
} from '../../src/allocation/planning.types';
import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../../src/orders/order.enums';

/** The fixed clock of every planning test. */
export const NOW = new Date('2025-03-03T09:00:00.000Z');
const DAY_MS = 86_400_000;

/** NOW moved by a number of days (negative for the past). */
export const day = (days: number): Date => new Date(NOW.getTime() + days * DAY_MS);
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export const defaultPolicy = (): PlanningPolicy => ({
  maxWarehousesPerOrder: 3,
  preferTransferWithinDays: 2,
  allowDropShip: true,
  weights: { eta: 1, cost: 0.1, parcels: 2 },
});

type Lane = number | { days: number; cost?: number };
const lane = (l: Lane) => (typeof l === 'number' ? { days: l, cost: 0 } : { days: l.days, cost: l.cost ?? 0 });

/**
 * warehouse('A', { ship: { EU: 1 }, transfer: { B: 2 } }): ships to EU in 1 day, transfers to B in 2 days.
 * A lane is a number of days (cost 0) or { days, cost }.
 */
export function warehouse(
  code: string,
  lanes: { ship?: Record<string, Lane>; transfer?: Record<string, Lane>; active?: boolean } = {},
): WarehouseNode {
  return {
    code,
    active: lanes.active ?? true,
    shippingLanes: Object.entries(lanes.ship ?? {}).map(([region, l]) => ({ region, ...lane(l) })),
    transferLanes: Object.entries(lanes.transfer ?? {}).map(([toWarehouseCode, l]) => ({ toWarehouseCode, ...lane(l) })),
  };
}

export function stock(sku: string, warehouseCode: string, available: number, onHand = available): StockPosition {
  return { sku, warehouseCode, available, onHand };
}

export function product(sku: string, overrides: Partial<Omit<ProductFacts, 'sku'>> = {}): ProductFacts {
  return { sku, leadTimeDays: 14, dropShip: false, supplier: 'ACME', reorderPoint: 0, reorderQuantity: 50, ...overrides };
}

/** An open purchase order line; expectedAt is a date or a number of days from NOW. */
export function po(
  supplyId: string,
  sku: string,
  warehouseCode: string,
  unpromisedQuantity: number,
  expectedAt: Date | number,
  reference = `PO-${supplyId}`,
): InboundSupply {
  return { supplyId, reference, sku, warehouseCode, unpromisedQuantity, expectedAt: typeof expectedAt === 'number' ? day(expectedAt) : expectedAt };
}

export function firm(kind: AllocationKind, quantity: number, overrides: Partial<Omit<FirmCover, 'kind' | 'quantity'>> = {}): FirmCover {
  return { kind, quantity, warehouseCode: null, supplier: null, eta: null, ...overrides };
}

export function line(
  lineId: string,
  sku: string,
  quantity: number,
  overrides: Partial<Omit<DemandLine, 'lineId' | 'sku' | 'quantity'>> = {},
): DemandLine {
  return { lineId, sku, quantity, shippedQuantity: 0, cancelledQuantity: 0, firmCovers: [], currentEta: null, ...overrides };
}

export function order(orderId: string, lines: DemandLine[], overrides: Partial<Omit<OrderDemand, 'orderId' | 'lines'>> = {}): OrderDemand {
  return {
    orderId,
    placedAt: day(-1),
    priority: OrderPriority.NORMAL,
    flags: [],
    fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
    maxWarehouses: null,
    shipToRegion: 'EU',
    status: OrderStatus.PENDING,
    lines,
    ...overrides,
  };
}

export function snapshot(parts: Partial<Omit<PlanningSnapshot, 'policy'>> & { policy?: Partial<PlanningPolicy> } = {}): PlanningSnapshot {
  const { policy, ...rest } = parts;
  return {
    now: NOW,
    warehouses: [],
    stock: [],
    inbound: [],
    products: [],
    demand: [],
    skusWithOpenSuggestion: [],
    ...rest,
    policy: { ...defaultPolicy(), ...policy },
  };
}

export function planOf(plan: AllocationPlan, orderId: string): OrderPlan {
  const found = plan.orders.find((o) => o.orderId === orderId);
  if (!found) throw new Error(`no plan for order ${orderId}`);
  return found;
}

/** The parts of a cover a scenario usually asserts on, without the nulls. */
export function brief(cover: PlannedCover) {
  const out: Record<string, unknown> = { kind: cover.kind, quantity: cover.quantity };
  if (cover.warehouseCode !== null) out.warehouseCode = cover.warehouseCode;
  if (cover.sourceWarehouseCode !== null) out.sourceWarehouseCode = cover.sourceWarehouseCode;
  if (cover.supplyId !== null) out.supplyId = cover.supplyId;
  if (cover.supplier !== null) out.supplier = cover.supplier;
  out.eta = isoDay(cover.eta);
  return out;
}
