import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllocationKind } from '../../src/allocation/allocation.enums';
import { compareDemand, openNeed, planAllocation } from '../../src/allocation/plan-allocation';
import type {
  AllocationPlan,
  DemandLine,
  FirmCover,
  InboundSupply,
  OrderDemand,
  PlannedCover,
  PlanningPolicy,
  PlanningSnapshot,
  ProductFacts,
  StockPosition,
  WarehouseNode,
} from '../../src/allocation/planning.types';
import { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from '../../src/orders/order.enums';
import { deriveOrderStatus } from '../../src/orders/order-status';
import { NOW, day } from '../support/planning-fixtures';

const RUNS = { numRuns: 300 };

const REGIONS = ['R1', 'R2', 'R3'];
const WAREHOUSES = ['W1', 'W2', 'W3', 'W4'];
const SKUS = ['S1', 'S2', 'S3', 'S4'];
const SUPPLIERS = ['SUP-A', 'SUP-B'];
const OPEN_STATUSES = [
  OrderStatus.PENDING,
  OrderStatus.ALLOCATED,
  OrderStatus.PARTIALLY_ALLOCATED,
  OrderStatus.BACKORDERED,
  OrderStatus.ON_HOLD,
  OrderStatus.PARTIALLY_SHIPPED,
];

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

const mostly = <T>(usual: T, other: fc.Arbitrary<T>, weight = 3) =>
  fc.oneof({ weight, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: other });

const laneArb = fc.record({ days: fc.integer({ min: 0, max: 10 }), cost: fc.integer({ min: 0, max: 20 }) });

const policyArb: fc.Arbitrary<PlanningPolicy> = fc.record({
  maxWarehousesPerOrder: fc.integer({ min: 1, max: 3 }),
  preferTransferWithinDays: fc.integer({ min: 0, max: 4 }),
  allowDropShip: fc.boolean(),
  weights: fc.record({
    eta: fc.constantFrom(0.5, 1, 2),
    cost: fc.constantFrom(0, 0.1, 1),
    parcels: fc.integer({ min: 0, max: 3 }),
  }),
});

function warehouseArb(code: string, regions: string[], codes: string[], inactive: boolean): fc.Arbitrary<WarehouseNode> {
  return fc
    .record({
      active: inactive ? mostly(true, fc.constant(false), 6) : fc.constant(true),
      ship: fc.tuple(...regions.map(() => fc.option(laneArb, { nil: null, freq: 4 }))),
      transfer: fc.tuple(...codes.map(() => fc.option(laneArb, { nil: null, freq: 2 }))),
    })
    .map(({ active, ship, transfer }) => ({
      code,
      active,
      shippingLanes: regions.flatMap((region, i) => (ship[i] ? [{ region, ...ship[i]! }] : [])),
      transferLanes: codes.flatMap((to, i) => (transfer[i] && to !== code ? [{ toWarehouseCode: to, ...transfer[i]! }] : [])),
    }));
}

function productArb(sku: string): fc.Arbitrary<ProductFacts> {
  return fc.record({
    sku: fc.constant(sku),
    leadTimeDays: fc.integer({ min: 0, max: 30 }),
    dropShip: fc.boolean(),
    supplier: fc.option(fc.constantFrom(...SUPPLIERS), { nil: null, freq: 4 }),
    reorderPoint: mostly(0, fc.integer({ min: 1, max: 20 }), 1),
    reorderQuantity: fc.integer({ min: 0, max: 50 }),
  });
}

function stockArb(skus: string[], codes: string[], maxAvailable: number): fc.Arbitrary<StockPosition[]> {
  const pairs = skus.flatMap((sku) => codes.map((warehouseCode) => ({ sku, warehouseCode })));
  return fc
    .tuple(
      ...pairs.map(() =>
        fc.option(fc.record({ available: mostly(0, fc.integer({ min: 0, max: maxAvailable }), 1), reserved: fc.integer({ min: 0, max: 5 }) }), {
          nil: null,
          freq: 4,
        }),
      ),
    )
    .map((positions) =>
      pairs.flatMap((pair, i) => {
        const p = positions[i];
        return p ? [{ ...pair, available: p.available, onHand: p.available + p.reserved }] : [];
      }),
    );
}

function inboundArb(skus: string[], codes: string[], minLength: number, maxLength: number): fc.Arbitrary<InboundSupply[]> {
  return fc
    .array(
      fc.record({
        sku: fc.constantFrom(...skus),
        warehouseCode: fc.constantFrom(...codes),
        inDays: fc.integer({ min: -5, max: 30 }),
        unpromisedQuantity: fc.integer({ min: 0, max: 30 }),
      }),
      { minLength, maxLength },
    )
    .map((lines) =>
      lines.map((l, i) => ({
        supplyId: `PO${i + 1}-1`,
        reference: `PO${i + 1}`,
        sku: l.sku,
        warehouseCode: l.warehouseCode,
        expectedAt: day(l.inDays),
        unpromisedQuantity: l.unpromisedQuantity,
      })),
    );
}

interface LineShape {
  sku: string;
  quantity: number;
  shipped: number;
  cancelled: number;
  firm: Array<{ kind: AllocationKind; warehouseCode: string; supplier: string; quantity: number; etaDays: number }>;
  currentEtaDays: number | null;
}

function lineArb(skus: string[], codes: string[], withHistory: boolean): fc.Arbitrary<LineShape> {
  const noHistory = fc.constant(0);
  return fc.record({
    sku: fc.constantFrom(...skus),
    quantity: fc.integer({ min: 1, max: 30 }),
    shipped: withHistory ? mostly(0, fc.integer({ min: 0, max: 30 })) : noHistory,
    cancelled: withHistory ? mostly(0, fc.integer({ min: 0, max: 30 })) : noHistory,
    firm: withHistory
      ? fc.array(
          fc.record({
            kind: fc.constantFrom(AllocationKind.PULL, AllocationKind.TRANSFER, AllocationKind.DROP_SHIP),
            warehouseCode: fc.constantFrom(...codes),
            supplier: fc.constantFrom(...SUPPLIERS),
            quantity: fc.integer({ min: 1, max: 12 }),
            etaDays: fc.integer({ min: 0, max: 20 }),
          }),
          { maxLength: 2 },
        )
      : fc.constant([]),
    currentEtaDays: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  });
}

/** Shipped, cancelled and firm quantities never exceed what the line ordered. */
function toDemandLine(lineId: string, shape: LineShape): DemandLine {
  const shippedQuantity = Math.min(shape.quantity, shape.shipped);
  const cancelledQuantity = Math.min(shape.quantity - shippedQuantity, shape.cancelled);
  let open = shape.quantity - shippedQuantity - cancelledQuantity;
  const firmCovers: FirmCover[] = [];
  for (const f of shape.firm) {
    const quantity = Math.min(open, f.quantity);
    if (quantity <= 0) break;
    open -= quantity;
    const dropShip = f.kind === AllocationKind.DROP_SHIP;
    firmCovers.push({
      kind: f.kind,
      quantity,
      warehouseCode: dropShip ? null : f.warehouseCode,
      supplier: dropShip ? f.supplier : null,
      eta: day(f.etaDays),
    });
  }
  return {
    lineId,
    sku: shape.sku,
    quantity: shape.quantity,
    shippedQuantity,
    cancelledQuantity,
    firmCovers,
    currentEta: shape.currentEtaDays === null ? null : day(shape.currentEtaDays),
  };
}

function demandArb(
  skus: string[],
  regions: string[],
  codes: string[],
  opts: { minOrders: number; maxOrders: number; withHistory: boolean },
): fc.Arbitrary<OrderDemand[]> {
  const orderArb = fc.record({
    placedHoursAgo: fc.integer({ min: 0, max: 200 }),
    priority: fc.constantFrom(...Object.values(OrderPriority)),
    flags: fc.subarray(Object.values(OrderFlag)),
    fulfilmentPolicy: fc.constantFrom(...Object.values(FulfilmentPolicy)),
    maxWarehouses: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    shipToRegion: fc.constantFrom(...regions),
    status: opts.withHistory ? fc.constantFrom(...OPEN_STATUSES) : fc.constant(OrderStatus.PENDING),
    lines: fc.array(lineArb(skus, codes, opts.withHistory), { minLength: 1, maxLength: 3 }),
  });
  return fc.array(orderArb, { minLength: opts.minOrders, maxLength: opts.maxOrders }).map((orders) =>
    orders.map((o, i) => {
      const orderId = `O${String(i + 1).padStart(2, '0')}`;
      return {
        orderId,
        placedAt: new Date(NOW.getTime() - o.placedHoursAgo * 3_600_000),
        priority: o.priority,
        flags: o.flags,
        fulfilmentPolicy: o.fulfilmentPolicy,
        maxWarehouses: o.maxWarehouses,
        shipToRegion: o.shipToRegion,
        status: o.status,
        lines: o.lines.map((l, j) => toDemandLine(`${orderId}-L${j + 1}`, l)),
      };
    }),
  );
}

/** The general world: everything random within the brief's bounds. */
const snapshotArb: fc.Arbitrary<PlanningSnapshot> = fc
  .record({ regions: fc.integer({ min: 1, max: 3 }), warehouses: fc.integer({ min: 1, max: 4 }), skus: fc.integer({ min: 1, max: 4 }) })
  .chain((size) => {
    const regions = REGIONS.slice(0, size.regions);
    const codes = WAREHOUSES.slice(0, size.warehouses);
    const skus = SKUS.slice(0, size.skus);
    return fc.record({
      now: fc.constant(NOW),
      policy: policyArb,
      warehouses: fc.tuple(...codes.map((code) => warehouseArb(code, regions, codes, true))),
      stock: stockArb(skus, codes, 25),
      inbound: inboundArb(skus, codes, 0, 3),
      products: fc.tuple(...skus.map(productArb)),
      demand: demandArb(skus, regions, codes, { minOrders: 1, maxOrders: 12, withHistory: true }),
      skusWithOpenSuggestion: fc.subarray(skus),
    });
  });

/** One active warehouse shipping to the one region, one SKU, no firm covers: stock goes strictly by precedence. */
const oneWarehouseStockWorld: fc.Arbitrary<PlanningSnapshot> = fc.record({
  now: fc.constant(NOW),
  policy: policyArb,
  warehouses: fc.tuple(laneArb).map(([l]) => [{ code: 'W1', active: true, shippingLanes: [{ region: 'R1', ...l }], transferLanes: [] }]),
  stock: fc.integer({ min: 0, max: 60 }).map((available) => [{ sku: 'S1', warehouseCode: 'W1', available, onHand: available }]),
  inbound: inboundArb(['S1'], ['W1'], 0, 3),
  products: fc.tuple(productArb('S1')),
  demand: demandArb(['S1'], ['R1'], ['W1'], { minOrders: 1, maxOrders: 12, withHistory: false }).chain((orders) =>
    // Some lines shipped or cancelled in part, still with no firm cover.
    fc.tuple(...orders.map((o) => fc.tuple(...o.lines.map(() => fc.tuple(fc.nat(5), fc.nat(5)))))).map((history) =>
      orders.map((o, i) => ({
        ...o,
        lines: o.lines.map((l, j) => {
          const shippedQuantity = Math.min(l.quantity, history[i]![j]![0]);
          const cancelledQuantity = Math.min(l.quantity - shippedQuantity, history[i]![j]![1]);
          return { ...l, shippedQuantity, cancelledQuantity };
        }),
      })),
    ),
  ),
  skusWithOpenSuggestion: fc.constant([]),
});

/** One SKU, one region, 1–3 warehouses that all ship there (maybe at different speeds), little stock, 1–3 POs. */
function inboundWorld(maxWarehouses: number): fc.Arbitrary<PlanningSnapshot> {
  return fc.integer({ min: 1, max: maxWarehouses }).chain((n) => {
    const codes = WAREHOUSES.slice(0, n);
    return fc.record({
      now: fc.constant(NOW),
      policy: policyArb,
      warehouses: fc.tuple(
        ...codes.map((code) => laneArb.map((l) => ({ code, active: true, shippingLanes: [{ region: 'R1', ...l }], transferLanes: [] }))),
      ),
      stock: stockArb(['S1'], codes, 5),
      inbound: inboundArb(['S1'], codes, 1, 3),
      products: fc.tuple(productArb('S1')),
      demand: demandArb(['S1'], ['R1'], codes, { minOrders: 2, maxOrders: 8, withHistory: false }),
      skusWithOpenSuggestion: fc.constant([]),
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const allCovers = (plan: AllocationPlan): PlannedCover[] => plan.orders.flatMap((o) => o.covers);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const demandLines = (snap: PlanningSnapshot) => new Map(snap.demand.flatMap((o) => o.lines.map((l) => [l.lineId, l] as const)));

/** Readable counterexamples: dates as ISO strings. */
const show = (value: unknown) => JSON.stringify(value, null, 1);

// ---------------------------------------------------------------------------------------------------------------
// Properties

describe('planAllocation properties', () => {
  it('plans every order of the snapshot once, and only those', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        expect(plan.orders.map((o) => o.orderId).sort()).toEqual(snap.demand.map((o) => o.orderId).sort());
        for (const o of plan.orders) {
          const demand = snap.demand.find((d) => d.orderId === o.orderId)!;
          expect(o.lines.map((l) => l.lineId)).toEqual(demand.lines.map((l) => l.lineId));
          const lineIds = new Set(demand.lines.map((l) => l.lineId));
          for (const c of o.covers) {
            expect(lineIds.has(c.lineId)).toBe(true);
            expect(c.sku).toBe(demand.lines.find((l) => l.lineId === c.lineId)!.sku);
          }
        }
      }),
      RUNS,
    );
  });

  it('no warehouse gives more of a SKU than it has available', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        const taken = new Map<string, number>();
        for (const c of allCovers(plan)) {
          const from = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
          if (c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER) expect(from).not.toBeNull();
          if (from === null) continue;
          taken.set(`${c.sku}@${from}`, (taken.get(`${c.sku}@${from}`) ?? 0) + c.quantity);
        }
        for (const [k, units] of taken) {
          const [sku, warehouseCode] = k.split('@');
          const position = snap.stock.find((s) => s.sku === sku && s.warehouseCode === warehouseCode);
          expect(units, `${k} gave ${units}`).toBeLessThanOrEqual(Math.max(0, position?.available ?? 0));
        }
      }),
      RUNS,
    );
  });

  it('an order ships from no more warehouses than it may', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        for (const o of plan.orders) {
          const demand = snap.demand.find((d) => d.orderId === o.orderId)!;
          const max = Math.max(1, demand.maxWarehouses ?? snap.policy.maxWarehousesPerOrder);
          const shipsFrom = (c: { kind: AllocationKind; warehouseCode: string | null }) =>
            (c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER) && c.warehouseCode !== null ? [c.warehouseCode] : [];
          const before = new Set(demand.lines.flatMap((l) => l.firmCovers.flatMap(shipsFrom)));
          const after = new Set([...before, ...o.covers.flatMap(shipsFrom)]);
          // Firm covers may already exceed the limit (it was changed later); the plan never adds a warehouse beyond it.
          expect(after.size, show(o.covers)).toBeLessThanOrEqual(Math.max(max, before.size));
          if (before.size >= max) expect([...after].sort()).toEqual([...before].sort());
        }
      }),
      RUNS,
    );
  });

  it('new stock covers only use active warehouses', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const active = new Set(snap.warehouses.filter((w) => w.active).map((w) => w.code));
        for (const c of allCovers(planAllocation(snap))) {
          if (c.kind === AllocationKind.PULL) expect(active.has(c.warehouseCode!), show(c)).toBe(true);
          if (c.kind === AllocationKind.TRANSFER) {
            expect(active.has(c.sourceWarehouseCode!), show(c)).toBe(true);
            expect(active.has(c.warehouseCode!), `transfer into inactive ${c.warehouseCode}: ${show(c)}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('every line adds up: split, quantities and new covers', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        const byId = demandLines(snap);
        for (const o of plan.orders) {
          const moved = new Map<string, number>();
          for (const s of o.split?.lines ?? []) {
            expect(s.quantity).toBeGreaterThan(0);
            expect(s.sku).toBe(byId.get(s.fromLineId)!.sku);
            moved.set(s.fromLineId, (moved.get(s.fromLineId) ?? 0) + s.quantity);
          }
          for (const planned of o.lines) {
            const demand = byId.get(planned.lineId)!;
            const units = moved.get(planned.lineId) ?? 0;
            expect(planned.quantity + units).toBe(demand.quantity);
            expect(planned.allocatedQuantity).toBeGreaterThanOrEqual(0);
            expect(planned.backorderedQuantity).toBeGreaterThanOrEqual(0);
            expect(planned.allocatedQuantity + planned.backorderedQuantity + demand.shippedQuantity + demand.cancelledQuantity).toBe(
              planned.quantity,
            );
            const firm = sum(demand.firmCovers.map((c) => c.quantity));
            const need = demand.quantity - demand.shippedQuantity - demand.cancelledQuantity - firm;
            expect(need).toBe(openNeed(demand));
            const newCovers = o.covers.filter((c) => c.lineId === planned.lineId);
            expect(sum(newCovers.map((c) => c.quantity))).toBe(need);
            // What moves to the new order is exactly the line's new waits.
            expect(units).toBe(o.split ? sum(newCovers.filter((c) => c.kind === AllocationKind.WAIT).map((c) => c.quantity)) : 0);
          }
        }
      }),
      RUNS,
    );
  });

  it('no promise exceeds what a purchase order line has left to promise', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        const promised = new Map<string, number>();
        for (const c of allCovers(plan)) {
          if (c.kind !== AllocationKind.WAIT || c.supplyId === null) continue;
          const supply = snap.inbound.find((s) => s.supplyId === c.supplyId);
          expect(supply, `wait on unknown supply ${c.supplyId}`).toBeDefined();
          expect(c.sku).toBe(supply!.sku);
          expect(c.warehouseCode).toBe(supply!.warehouseCode);
          promised.set(c.supplyId, (promised.get(c.supplyId) ?? 0) + c.quantity);
        }
        for (const [supplyId, units] of promised) {
          const supply = snap.inbound.find((s) => s.supplyId === supplyId)!;
          expect(units).toBeLessThanOrEqual(Math.max(0, supply.unpromisedQuantity));
        }
      }),
      RUNS,
    );
  });

  it('one warehouse, one SKU: stock goes to a prefix of the demand in precedence order', () => {
    fc.assert(
      fc.property(oneWarehouseStockWorld, (snap) => {
        const plan = planAllocation(snap);
        let left = snap.stock[0]!.available;
        for (const demand of [...snap.demand].sort(compareDemand)) {
          const need = sum(demand.lines.map(openNeed));
          const expected = Math.min(need, left);
          left -= expected;
          const got = sum(
            plan.orders
              .find((o) => o.orderId === demand.orderId)!
              .covers.filter((c) => c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER)
              .map((c) => c.quantity),
          );
          expect(got, `${demand.orderId} (${demand.priority} ${demand.flags.join('+')} ${demand.placedAt.toISOString()})`).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  const inboundPrecedence = (snap: PlanningSnapshot) => {
    const plan = planAllocation(snap);
    const ordered = [...snap.demand].sort(compareDemand);
    const waitsOf = (orderId: string) =>
      plan.orders.find((o) => o.orderId === orderId)!.covers.filter((c) => c.kind === AllocationKind.WAIT && c.supplyId !== null);
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i + 1; j < ordered.length; j++) {
        const earlier = waitsOf(ordered[i]!.orderId);
        const later = waitsOf(ordered[j]!.orderId);
        if (earlier.length === 0 || later.length === 0) continue;
        const latestOfEarlier = Math.max(...earlier.map((c) => c.eta.getTime()));
        const earliestOfLater = Math.min(...later.map((c) => c.eta.getTime()));
        expect(
          earliestOfLater,
          `${ordered[i]!.orderId} waits until ${new Date(latestOfEarlier).toISOString()} while later ${ordered[j]!.orderId} gets ${new Date(earliestOfLater).toISOString()}: ${show({ earlier, later })}`,
        ).toBeGreaterThanOrEqual(latestOfEarlier);
      }
    }
  };

  it('one warehouse, one SKU, one region: an earlier order never waits on a later-ETA PO than a later order got', () => {
    fc.assert(fc.property(inboundWorld(1), inboundPrecedence), RUNS);
  });

  it('several warehouses, one SKU, one region: an earlier order never waits on a later-ETA PO than a later order got', () => {
    fc.assert(fc.property(inboundWorld(3), inboundPrecedence), RUNS);
  });

  it('is deterministic: the same snapshot, or one with its arrays shuffled, gives a deep-equal plan', () => {
    const shuffled = <T>(xs: T[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length });
    const withShuffled = snapshotArb.chain((snap) =>
      fc
        .record({
          demand: shuffled(snap.demand),
          stock: shuffled(snap.stock),
          inbound: shuffled(snap.inbound),
          warehouses: shuffled(snap.warehouses),
          products: shuffled(snap.products),
          skusWithOpenSuggestion: shuffled(snap.skusWithOpenSuggestion),
        })
        .map((arrays) => ({ snap, other: { ...snap, ...arrays } })),
    );
    fc.assert(
      fc.property(withShuffled, ({ snap, other }) => {
        const before = structuredClone(snap);
        const plan = planAllocation(snap);
        expect(snap, 'the planner must not mutate its snapshot').toEqual(before);
        expect(planAllocation(structuredClone(snap))).toEqual(plan);
        expect(planAllocation(other)).toEqual(plan);
      }),
      RUNS,
    );
  });

  it('statuses follow the quantities; ON_HOLD and DROP_SHIP only where allowed', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        const byId = demandLines(snap);
        const products = new Map(snap.products.map((p) => [p.sku, p]));
        for (const o of plan.orders) {
          const demand = snap.demand.find((d) => d.orderId === o.orderId)!;
          const quantities = o.lines.map((l) => ({
            ...l,
            shippedQuantity: byId.get(l.lineId)!.shippedQuantity,
            cancelledQuantity: byId.get(l.lineId)!.cancelledQuantity,
          }));
          expect(o.status).toBe(deriveOrderStatus(demand.fulfilmentPolicy, quantities));
          const backordered = sum(o.lines.map((l) => l.backorderedQuantity));
          if (o.status === OrderStatus.ON_HOLD) {
            expect(demand.fulfilmentPolicy).toBe(FulfilmentPolicy.SHIP_COMPLETE);
            expect(backordered).toBeGreaterThan(0);
            expect(o.holdReason).toMatch(/\S/);
          } else {
            expect(o.holdReason).toBeNull();
          }
          if (o.split) expect(demand.fulfilmentPolicy).toBe(FulfilmentPolicy.SPLIT_ORDER);
          for (const c of o.covers.filter((c) => c.kind === AllocationKind.DROP_SHIP)) {
            expect(demand.fulfilmentPolicy).not.toBe(FulfilmentPolicy.SHIP_COMPLETE);
            expect(snap.policy.allowDropShip).toBe(true);
            const p = products.get(c.sku);
            expect(p?.dropShip).toBe(true);
            expect(p?.supplier).toBeTruthy();
            expect(c.supplier).toBe(p!.supplier);
          }
        }
      }),
      RUNS,
    );
  });

  it('reorder suggestions: at most one per SKU, none where one is open, and one for every SKU left waiting without supply', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const plan = planAllocation(snap);
        const skus = plan.reorderSuggestions.map((s) => s.sku);
        expect(new Set(skus).size).toBe(skus.length);
        const activeCodes = new Set(snap.warehouses.filter((w) => w.active).map((w) => w.code));
        for (const s of plan.reorderSuggestions) {
          expect(snap.skusWithOpenSuggestion).not.toContain(s.sku);
          expect(s.quantity).toBeGreaterThan(0);
          expect(activeCodes.has(s.warehouseCode)).toBe(true);
          expect(s.reason).toMatch(/\S/);
        }
        const unsupplied = new Map<string, number>();
        for (const c of allCovers(plan)) {
          if (c.kind === AllocationKind.WAIT && c.supplyId === null) unsupplied.set(c.sku, (unsupplied.get(c.sku) ?? 0) + c.quantity);
        }
        for (const [sku, units] of unsupplied) {
          if (snap.skusWithOpenSuggestion.includes(sku) || activeCodes.size === 0) continue;
          const suggestion = plan.reorderSuggestions.find((s) => s.sku === sku);
          expect(suggestion, `${units} × ${sku} wait with no supply and no suggestion`).toBeDefined();
          expect(suggestion!.quantity).toBeGreaterThanOrEqual(units);
        }
      }),
      RUNS,
    );
  });

  it('every cover has a positive whole quantity, a reason and an ETA no earlier than now', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        for (const c of allCovers(planAllocation(snap))) {
          expect(Number.isInteger(c.quantity)).toBe(true);
          expect(c.quantity).toBeGreaterThan(0);
          expect(c.reason.trim()).not.toBe('');
          expect(c.eta.getTime()).toBeGreaterThanOrEqual(snap.now.getTime());
        }
      }),
      RUNS,
    );
  });
});
