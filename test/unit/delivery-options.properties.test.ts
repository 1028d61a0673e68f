import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAllocation } from '../../src/allocation/plan-allocation';
import type { OrderDemand, PlanningSnapshot } from '../../src/allocation/planning.types';
import { availabilityAnswers } from '../../src/allocation/storefront/availability-answer';
import { deliveryOptions } from '../../src/allocation/storefront/delivery-options';
import { EarlierDemandMemo } from '../../src/allocation/storefront/earlier-demand-memo';
import { parcelsOf } from '../../src/allocation/storefront/parcels';
import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../../src/orders/order.enums';
import { day, isoDay, NOW } from '../support/planning-fixtures';

const REGIONS = ['R1', 'R2'];
const CODES = ['W1', 'W2', 'W3'];
const SKUS = ['S1', 'S2', 'S3'];

const laneArb = fc.record({ days: fc.integer({ min: 0, max: 8 }), cost: fc.integer({ min: 0, max: 10 }) });

/** Random networks: lanes, transfer lanes, stock, purchase orders, drop-ship products, and earlier open orders. */
const worldArb: fc.Arbitrary<PlanningSnapshot> = fc.record({
  now: fc.constant(NOW),
  policy: fc.record({
    maxWarehousesPerOrder: fc.integer({ min: 1, max: 3 }),
    preferTransferWithinDays: fc.integer({ min: 0, max: 3 }),
    allowDropShip: fc.boolean(),
    weights: fc.record({ eta: fc.constantFrom(0.5, 1, 2), cost: fc.constantFrom(0, 0.1, 1), parcels: fc.integer({ min: 0, max: 3 }) }),
  }),
  warehouses: fc.tuple(
    ...CODES.map((code, i) =>
      fc
        .record({
          // W1 always reaches R1, so the cart's region is served.
          ship: fc.tuple(
            ...REGIONS.map((r) => (i === 0 && r === 'R1' ? laneArb.map((l) => l as typeof l | null) : fc.option(laneArb, { nil: null }))),
          ),
          transfer: fc.tuple(...CODES.map(() => fc.option(laneArb, { nil: null, freq: 2 }))),
        })
        .map(({ ship, transfer }) => ({
          code,
          active: true,
          shippingLanes: REGIONS.flatMap((region, j) => (ship[j] ? [{ region, ...ship[j]! }] : [])),
          transferLanes: CODES.flatMap((to, j) => (transfer[j] && to !== code ? [{ toWarehouseCode: to, ...transfer[j]! }] : [])),
        })),
    ),
  ),
  stock: fc.tuple(
    ...SKUS.flatMap((sku) =>
      CODES.map((warehouseCode) => fc.integer({ min: 0, max: 8 }).map((available) => ({ sku, warehouseCode, available, onHand: available }))),
    ),
  ),
  inbound: fc
    .array(
      fc.record({
        sku: fc.constantFrom(...SKUS),
        warehouseCode: fc.constantFrom(...CODES),
        inDays: fc.integer({ min: -2, max: 20 }),
        qty: fc.integer({ min: 0, max: 10 }),
      }),
      { maxLength: 4 },
    )
    .map((lines) =>
      lines.map((l, i) => ({
        supplyId: `L${i}`,
        reference: `PO-${i + 1}`,
        sku: l.sku,
        warehouseCode: l.warehouseCode,
        expectedAt: day(l.inDays),
        unpromisedQuantity: l.qty,
      })),
    ),
  products: fc.tuple(
    ...SKUS.map((sku) =>
      fc.record({
        sku: fc.constant(sku),
        leadTimeDays: fc.integer({ min: 0, max: 25 }),
        dropShip: fc.boolean(),
        supplier: fc.option(fc.constantFrom('SUP-A', 'SUP-B'), { nil: null, freq: 4 }),
        reorderPoint: fc.constant(0),
        reorderQuantity: fc.integer({ min: 0, max: 20 }),
      }),
    ),
  ),
  demand: fc
    .array(
      fc.record({
        hoursAgo: fc.integer({ min: 1, max: 100 }),
        priority: fc.constantFrom(...Object.values(OrderPriority)),
        policy: fc.constantFrom(...Object.values(FulfilmentPolicy)),
        region: fc.constantFrom(...REGIONS),
        lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 5 },
    )
    .map((orders) =>
      orders.map((o, i): OrderDemand => ({
        orderId: `O${i}`,
        placedAt: new Date(NOW.getTime() - o.hoursAgo * 3_600_000),
        priority: o.priority,
        flags: [],
        fulfilmentPolicy: o.policy,
        maxWarehouses: null,
        shipToRegion: o.region,
        status: OrderStatus.PENDING,
        lines: o.lines.map((l, j) => ({
          lineId: `O${i}-${j}`,
          sku: l.sku,
          quantity: l.quantity,
          shippedQuantity: 0,
          cancelledQuantity: 0,
          firmCovers: [],
          currentEta: null,
        })),
      })),
    ),
  skusWithOpenSuggestion: fc.constant([]),
});

const cartArb = fc.record({
  lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 15 }) }), { minLength: 1, maxLength: 5 }),
  maxWarehouses: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
});

describe('deliveryOptions properties', () => {
  it('each option is exactly the plan the allocator makes when the cart is placed with that policy in the same snapshot', () => {
    fc.assert(
      fc.property(worldArb, cartArb, (world, cart) => {
        const options = deliveryOptions(world, { region: 'R1', ...cart }, { noBackorderSkus: new Set() });
        for (const option of options) {
          const placed: OrderDemand = {
            orderId: 'PLACED',
            placedAt: NOW,
            priority: OrderPriority.NORMAL,
            flags: [],
            fulfilmentPolicy: option.fulfilmentPolicy,
            maxWarehouses: cart.maxWarehouses,
            shipToRegion: 'R1',
            status: OrderStatus.PENDING,
            lines: cart.lines.map((l, i) => ({
              lineId: `P-${i}`,
              sku: l.sku,
              quantity: l.quantity,
              shippedQuantity: 0,
              cancelledQuantity: 0,
              firmCovers: [],
              currentEta: null,
            })),
          };
          const plan = planAllocation({ ...world, demand: [...world.demand, placed] }).orders.find((o) => o.orderId === 'PLACED')!;
          expect(option.parcels).toEqual(parcelsOf(plan, world, option.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE));
          // Every unit of the cart is in one parcel, and the last of them arrives when the option says.
          expect(option.parcels.reduce((s, p) => s + p.quantity, 0)).toBe(option.quantity);
          expect(option.deliverable).toBe(true);
          expect(isoDay(option.eta!)).toBe(isoDay(new Date(Math.max(...plan.covers.map((c) => c.eta.getTime())))));
          if (option.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE) expect(option.deliveries).toHaveLength(1);
          if (option.fulfilmentPolicy === FulfilmentPolicy.SPLIT_ORDER) expect(plan.split).not.toBeNull();
          const times = option.deliveries.map((d) => d.eta.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
        }
        expect(options.map((o) => o.fulfilmentPolicy).slice(0, 2)).toEqual([FulfilmentPolicy.SHIP_PARTIAL, FulfilmentPolicy.SHIP_COMPLETE]);
      }),
      { numRuns: 200 },
    );
  });

  // Instants an hour-and-minutes grid apart, from four days before NOW to three weeks after: orders placed after
  // the earlier instant, purchase orders that fall late, drop ship overtaking them all happen between the two.
  const instantArb = fc
    .tuple(fc.integer({ min: -96, max: 500 }), fc.integer({ min: 0, max: 59 }))
    .map(([hours, minutes]) => new Date(NOW.getTime() + hours * 3_600_000 + minutes * 60_000));

  it('the remembered plan of earlier demand answers as a fresh plan would, at whatever later or earlier instant', () => {
    fc.assert(
      fc.property(worldArb, cartArb, instantArb, instantArb, fc.constantFrom('R1', null), (world, cart, first, second, availabilityRegion) => {
        const memo = new EarlierDemandMemo();
        const query = { region: 'R1', ...cart };
        deliveryOptions({ ...world, now: first }, query, { noBackorderSkus: new Set(), earlierDemand: memo });
        const later = { ...world, now: second };
        expect(deliveryOptions(later, query, { noBackorderSkus: new Set(), earlierDemand: memo })).toEqual(
          deliveryOptions(later, query, { noBackorderSkus: new Set() }),
        );
        const asked = cart.lines.map((l) => ({ ...l, region: availabilityRegion }));
        availabilityAnswers({ ...world, now: first }, asked, { noBackorderSkus: new Set(), earlierDemand: memo });
        expect(availabilityAnswers(later, asked, { noBackorderSkus: new Set(), earlierDemand: memo })).toEqual(
          availabilityAnswers(later, asked, { noBackorderSkus: new Set() }),
        );
      }),
      { numRuns: 800 },
    );
  });
});
