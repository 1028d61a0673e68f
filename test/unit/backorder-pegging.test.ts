import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BackorderCoverage,
  BackorderSupplyKind,
  coverageOf,
  describeBackorder,
  queueBySupply,
  WaitingCover,
} from '../../src/allocation/planner/backorder-pegging';
import { compareDemand } from '../../src/allocation/planner/planning-world';
import { OrderFlag, OrderPriority } from '../../src/orders/order.enums';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 11, 1);

const cover = (id: string, over: Partial<WaitingCover> = {}): WaitingCover => ({
  coverId: id,
  lineId: `line-${id}`,
  orderId: `order-${id}`,
  placedAt: new Date(t0),
  priority: OrderPriority.NORMAL,
  flags: [],
  kind: BackorderSupplyKind.PURCHASE_ORDER,
  supplyKey: 'po-line:1',
  quantity: 10,
  ...over,
});

describe('queueBySupply', () => {
  it('serves priority first, then age, with the units ahead summed', () => {
    const queue = queueBySupply([
      cover('old-normal', { placedAt: new Date(t0), quantity: 5 }),
      cover('new-urgent', { placedAt: new Date(t0 + 3 * DAY), priority: OrderPriority.URGENT, quantity: 7 }),
      cover('new-normal', { placedAt: new Date(t0 + DAY), quantity: 3 }),
      cover('vip-normal', { placedAt: new Date(t0 + 2 * DAY), flags: [OrderFlag.VIP], quantity: 4 }),
    ]);
    expect(queue.get('new-urgent')).toEqual({ queuePosition: 1, unitsAhead: 0 });
    expect(queue.get('vip-normal')).toEqual({ queuePosition: 2, unitsAhead: 7 });
    expect(queue.get('old-normal')).toEqual({ queuePosition: 3, unitsAhead: 11 });
    expect(queue.get('new-normal')).toEqual({ queuePosition: 4, unitsAhead: 16 });
  });

  it('keeps a queue per supply', () => {
    const queue = queueBySupply([
      cover('a', { supplyKey: 'po-line:1' }),
      cover('b', { supplyKey: 'lead-time:MUG', kind: BackorderSupplyKind.LEAD_TIME, placedAt: new Date(t0 - DAY) }),
      cover('c', { supplyKey: 'po-line:1', placedAt: new Date(t0 + DAY) }),
    ]);
    expect(queue.get('b')).toEqual({ queuePosition: 1, unitsAhead: 0 });
    expect(queue.get('a')).toEqual({ queuePosition: 1, unitsAhead: 0 });
    expect(queue.get('c')).toEqual({ queuePosition: 2, unitsAhead: 10 });
  });

  const arbitraryCovers = fc.uniqueArray(
    fc.record({
      coverId: fc.uuid(),
      supplyKey: fc.constantFrom('po-line:1', 'po-line:2', 'lead-time:MUG', 'transfer:1:MUG'),
      quantity: fc.integer({ min: 1, max: 1000 }),
      priority: fc.constantFrom(...Object.values(OrderPriority)),
      flags: fc.subarray([OrderFlag.VIP, OrderFlag.REPLACEMENT, OrderFlag.GIFT]),
      ageDays: fc.integer({ min: 0, max: 30 }),
    }),
    { selector: (c) => c.coverId, maxLength: 40 },
  );

  it('property: positions are 1..n per supply in planner precedence, units ahead the sum of the earlier ones', () => {
    fc.assert(
      fc.property(arbitraryCovers, (raw) => {
        const covers = raw.map((r) => cover(r.coverId, { ...r, orderId: r.coverId, lineId: r.coverId, placedAt: new Date(t0 - r.ageDays * DAY) }));
        const queue = queueBySupply(covers);
        expect(queue.size).toBe(covers.length);
        for (const key of new Set(covers.map((c) => c.supplyKey))) {
          const onSupply = covers
            .filter((c) => c.supplyKey === key)
            .sort((a, b) => queue.get(a.coverId)!.queuePosition - queue.get(b.coverId)!.queuePosition);
          let ahead = 0;
          onSupply.forEach((c, index) => {
            expect(queue.get(c.coverId)).toEqual({ queuePosition: index + 1, unitsAhead: ahead });
            if (index > 0) expect(compareDemand(onSupply[index - 1], c)).toBeLessThanOrEqual(0);
            ahead += c.quantity;
          });
        }
      }),
    );
  });
});

describe('coverageOf', () => {
  it('counts purchase orders and drop-ship orders as covered, the lead time as uncovered', () => {
    expect(
      coverageOf(30, [
        { kind: BackorderSupplyKind.PURCHASE_ORDER, quantity: 12 },
        { kind: BackorderSupplyKind.LEAD_TIME, quantity: 18 },
      ]),
    ).toEqual({ coveredQuantity: 12, uncoveredQuantity: 18, coverage: BackorderCoverage.PARTIAL });
    expect(coverageOf(5, [{ kind: BackorderSupplyKind.DROP_SHIP, quantity: 5 }]).coverage).toBe(BackorderCoverage.FULL);
    expect(coverageOf(5, [{ kind: BackorderSupplyKind.LEAD_TIME, quantity: 5 }]).coverage).toBe(BackorderCoverage.NONE);
    expect(
      coverageOf(5, [
        { kind: BackorderSupplyKind.TRANSFER, quantity: 5 },
        { kind: BackorderSupplyKind.LEAD_TIME, quantity: 5 },
      ]),
    ).toEqual({ coveredQuantity: 0, uncoveredQuantity: 5, coverage: BackorderCoverage.NONE });
  });

  it('property: covered + uncovered = backordered, neither negative', () => {
    const kinds = Object.values(BackorderSupplyKind);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.record({ kind: fc.constantFrom(...kinds), quantity: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 6 }),
        (backordered, covers) => {
          const c = coverageOf(backordered, covers);
          expect(c.coveredQuantity + c.uncoveredQuantity).toBe(backordered);
          expect(c.coveredQuantity).toBeGreaterThanOrEqual(0);
          expect(c.uncoveredQuantity).toBeGreaterThanOrEqual(0);
          expect(c.coverage === BackorderCoverage.FULL).toBe(c.uncoveredQuantity === 0);
        },
      ),
    );
  });
});

describe('describeBackorder', () => {
  it('says what each part waits for', () => {
    expect(
      describeBackorder(30, [
        {
          kind: BackorderSupplyKind.PURCHASE_ORDER,
          quantity: 12,
          reference: 'PO-7',
          expectedAt: new Date('2026-12-12T00:00:00Z'),
          warehouseCode: 'EAST',
        },
        { kind: BackorderSupplyKind.LEAD_TIME, quantity: 18, reference: null, expectedAt: new Date('2026-12-20T00:00:00Z'), warehouseCode: null },
      ]),
    ).toBe('needs 30: 12 covered by PO-7 (expected 2026-12-12 at EAST), 18 uncovered (supplier lead time, expected 2026-12-20)');
  });
});
