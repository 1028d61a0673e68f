import { describe, expect, it } from 'vitest';
import { AllocationKind } from '../../src/allocation/allocation.enums';
import { availabilityAnswers } from '../../src/allocation/storefront/availability-answer';
import { deliveryOptions } from '../../src/allocation/storefront/delivery-options';
import { DomainError } from '../../src/shared/errors';
import { FulfilmentPolicy, OrderStatus } from '../../src/orders/order.enums';
import { day, firm, isoDay, line, order, po, product, snapshot, stock, warehouse } from '../support/planning-fixtures';

const ALLOW = { noBackorderSkus: new Set<string>() };
const brief = (p: {
  kind: string;
  quantity: number;
  warehouseCode: string | null;
  supplier: string | null;
  purchaseOrderNumber: string | null;
  eta: Date;
  lines: unknown;
}) => ({
  kind: p.kind,
  quantity: p.quantity,
  from: p.warehouseCode ?? p.supplier,
  po: p.purchaseOrderNumber,
  eta: isoDay(p.eta),
  lines: p.lines,
});

/** EAST ships to EU in 2 days; 7 MUG there, PO-1 brings 3 on day 8, the supplier restocks in 20 days. */
const world = (extra: Parameters<typeof snapshot>[0] = {}) =>
  snapshot({
    warehouses: [warehouse('EAST', { ship: { EU: 2 } })],
    stock: [stock('MUG', 'EAST', 7)],
    inbound: [po('P1', 'MUG', 'EAST', 3, 8, 'PO-1')],
    products: [product('MUG', { leadTimeDays: 20, supplier: 'Acme' })],
    ...extra,
  });

describe('deliveryOptions (pure, over a planning snapshot)', () => {
  it('shows three tranches as parcels for SHIP_PARTIAL and one date for SHIP_COMPLETE', () => {
    const [partial, complete, split] = deliveryOptions(world(), { region: 'EU', lines: [{ sku: 'MUG', quantity: 12 }] }, ALLOW);
    expect(split.fulfilmentPolicy).toBe(FulfilmentPolicy.SPLIT_ORDER);
    expect(partial.fulfilmentPolicy).toBe(FulfilmentPolicy.SHIP_PARTIAL);
    expect(partial.parcels.map(brief)).toEqual([
      { kind: 'PULL', quantity: 7, from: 'EAST', po: null, eta: isoDay(day(2)), lines: [{ sku: 'MUG', quantity: 7 }] },
      { kind: 'WAIT', quantity: 3, from: 'EAST', po: 'PO-1', eta: isoDay(day(10)), lines: [{ sku: 'MUG', quantity: 3 }] },
      { kind: 'WAIT', quantity: 2, from: 'Acme', po: null, eta: isoDay(day(22)), lines: [{ sku: 'MUG', quantity: 2 }] },
    ]);
    expect(partial.parcels[0].shipsNow).toBe(true);
    expect(partial.parcels[1].reason).toBe(`3 wait for PO-1, expected ${isoDay(day(8))} at EAST`);
    expect(partial.deliveries.map((d) => [d.quantity, isoDay(d.eta)])).toEqual([
      [7, isoDay(day(2))],
      [3, isoDay(day(10))],
      [2, isoDay(day(22))],
    ]);
    expect(partial.summary).toBe(`7 by ${isoDay(day(2))}, 3 by ${isoDay(day(10))}, 2 by ${isoDay(day(22))}`);
    expect(isoDay(partial.firstEta!)).toBe(isoDay(day(2)));
    expect(isoDay(partial.eta!)).toBe(isoDay(day(22)));

    expect(complete.fulfilmentPolicy).toBe(FulfilmentPolicy.SHIP_COMPLETE);
    expect(complete.deliveries.map((d) => [d.quantity, isoDay(d.eta)])).toEqual([[12, isoDay(day(22))]]);
    expect(complete.parcels.every((p) => isoDay(p.eta) === isoDay(day(22)) && !p.shipsNow)).toBe(true);
    expect(complete.summary).toBe(`all 12 by ${isoDay(day(22))}`);
  });

  it('plans the cart after the open demand that goes first', () => {
    const earlier = order('EARLIER', [line('E1', 'MUG', 9, { firmCovers: [firm(AllocationKind.PULL, 4, { warehouseCode: 'EAST', eta: day(2) })] })], {
      status: OrderStatus.PARTIALLY_ALLOCATED,
    });
    // 4 are free; the earlier order's 5 open units take them and 1 of PO-1's 3.
    const options = deliveryOptions(
      world({ stock: [stock('MUG', 'EAST', 4, 11)], demand: [earlier] }),
      { region: 'EU', lines: [{ sku: 'MUG', quantity: 2 }] },
      ALLOW,
    );
    expect(options[0].parcels.map(brief)).toEqual([
      { kind: 'WAIT', quantity: 2, from: 'EAST', po: 'PO-1', eta: isoDay(day(10)), lines: [{ sku: 'MUG', quantity: 2 }] },
    ]);
  });

  it('puts several SKUs that travel together in one parcel', () => {
    const snap = world({ stock: [stock('MUG', 'EAST', 7), stock('CUP', 'EAST', 5)], products: [product('MUG'), product('CUP')] });
    const [partial] = deliveryOptions(
      snap,
      {
        region: 'EU',
        lines: [
          { sku: 'MUG', quantity: 2 },
          { sku: 'CUP', quantity: 3 },
        ],
      },
      ALLOW,
    );
    expect(partial.parcels).toHaveLength(1);
    expect(partial.parcels[0].lines).toEqual([
      { sku: 'MUG', quantity: 2 },
      { sku: 'CUP', quantity: 3 },
    ]);
    expect(partial.parcels[0].reason).toBe('MUG: 2 reserved at EAST, 2 days to EU; CUP: 3 reserved at EAST, 2 days to EU');
    expect(partial.summary).toBe(`all 5 by ${isoDay(day(2))}`);
  });

  it('adds SPLIT_ORDER when the cart would be split, with the waiting units in the second order', () => {
    const options = deliveryOptions(world(), { region: 'EU', lines: [{ sku: 'MUG', quantity: 9 }] }, ALLOW);
    const split = options.find((o) => o.fulfilmentPolicy === FulfilmentPolicy.SPLIT_ORDER)!;
    expect(split.parcels.map((p) => [p.kind, p.quantity, p.inSplitOrder])).toEqual([
      ['PULL', 7, false],
      ['WAIT', 2, true],
    ]);
    // Nothing to ship now: nothing to split.
    const none = deliveryOptions(world({ stock: [] }), { region: 'EU', lines: [{ sku: 'MUG', quantity: 2 }] }, ALLOW);
    expect(none.map((o) => o.fulfilmentPolicy)).toEqual([FulfilmentPolicy.SHIP_PARTIAL, FulfilmentPolicy.SHIP_COMPLETE]);
  });

  it('shows drop ship for SHIP_PARTIAL and not for SHIP_COMPLETE, which waits instead', () => {
    const snap = world({ inbound: [], products: [product('MUG', { leadTimeDays: 6, dropShip: true, supplier: 'Direct' })] });
    const [partial, complete] = deliveryOptions(snap, { region: 'EU', lines: [{ sku: 'MUG', quantity: 10 }] }, ALLOW);
    expect(partial.parcels.map(brief)).toEqual([
      { kind: 'PULL', quantity: 7, from: 'EAST', po: null, eta: isoDay(day(2)), lines: [{ sku: 'MUG', quantity: 7 }] },
      { kind: 'DROP_SHIP', quantity: 3, from: 'Direct', po: null, eta: isoDay(day(6)), lines: [{ sku: 'MUG', quantity: 3 }] },
    ]);
    expect(complete.parcels.map((p) => [p.kind, p.quantity, isoDay(p.eta)])).toEqual([
      ['PULL', 7, isoDay(day(8))],
      ['WAIT', 3, isoDay(day(8))],
    ]);
  });

  it('says a product that may not be backordered is not deliverable beyond stock, with no date', () => {
    const facts = { noBackorderSkus: new Set(['MUG']) };
    const [partial, complete] = deliveryOptions(world(), { region: 'EU', lines: [{ sku: 'MUG', quantity: 10 }] }, facts);
    for (const option of [partial, complete]) {
      expect(option.deliverable).toBe(false);
      expect(option.eta).toBeNull();
      expect(option.notDeliverable).toEqual([
        { sku: 'MUG', quantity: 10, available: 7, reason: 'Only 7 of 10 × MUG can be delivered from stock, and it may not be backordered' },
      ]);
      expect(option.parcels).toEqual([]);
    }
    const fits = deliveryOptions(world(), { region: 'EU', lines: [{ sku: 'MUG', quantity: 7 }] }, facts);
    expect(fits[0].deliverable).toBe(true);
  });

  it('refuses a region no active warehouse ships to', () => {
    const refuse = (snap: ReturnType<typeof world>) => {
      try {
        deliveryOptions(snap, { region: 'MARS', lines: [{ sku: 'MUG', quantity: 1 }] }, ALLOW);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('not refused');
    };
    expect(refuse(world())).toMatchObject({ code: 'BAD_USER_INPUT', message: 'No warehouse ships to MARS' });
    expect(refuse(world({ warehouses: [warehouse('EAST', { ship: { MARS: 2 }, active: false })] })).code).toBe('BAD_USER_INPUT');
  });
});

describe('availability answers (pure)', () => {
  it('shows every tranche, including the middle one on the purchase order', () => {
    const [answer] = availabilityAnswers(world(), [{ sku: 'MUG', quantity: 12, region: 'EU' }], ALLOW);
    expect(answer.tranches.map((t) => [t.kind, t.quantity, t.purchaseOrderNumber, isoDay(t.eta)])).toEqual([
      ['PULL', 7, null, isoDay(day(2))],
      ['WAIT', 3, 'PO-1', isoDay(day(10))],
      ['WAIT', 2, null, isoDay(day(22))],
    ]);
    expect(isoDay(answer.eta!)).toBe(isoDay(day(22)));
    expect(answer.deliverable).toBe(true);
  });

  it('answers many SKUs from one run, and the same SKU twice without the answers competing', () => {
    const snap = world({
      stock: [stock('MUG', 'EAST', 7), stock('CUP', 'EAST', 1)],
      products: [product('MUG', { leadTimeDays: 20 }), product('CUP', { leadTimeDays: 5 })],
    });
    const answers = availabilityAnswers(
      snap,
      [
        { sku: 'MUG', quantity: 7, region: 'EU' },
        { sku: 'CUP', quantity: 3, region: 'EU' },
        { sku: 'MUG', quantity: 7, region: 'EU' },
      ],
      ALLOW,
    );
    expect(answers.map((a) => [a.sku, a.availableNow, isoDay(a.eta!)])).toEqual([
      ['MUG', 7, isoDay(day(2))],
      ['CUP', 1, isoDay(day(7))],
      ['MUG', 7, isoDay(day(2))],
    ]);
  });

  it('gives no date for a product that may not be backordered beyond stock', () => {
    const [answer] = availabilityAnswers(world(), [{ sku: 'MUG', quantity: 8, region: 'EU' }], { noBackorderSkus: new Set(['MUG']) });
    expect(answer).toMatchObject({ eta: null, deliverable: false, availableNow: 7 });
    expect(answer.notDeliverableReason).toBe('Only 7 of 8 × MUG can be delivered from stock, and it may not be backordered');
    expect(answer.tranches.map((t) => [t.kind, t.quantity])).toEqual([['PULL', 7]]);
  });

  it('refuses a region no warehouse ships to, and without a region answers when it leaves the warehouse', () => {
    expect(() => availabilityAnswers(world(), [{ sku: 'MUG', quantity: 1, region: 'MARS' }], ALLOW)).toThrow('No warehouse ships to MARS');
    const [leaving] = availabilityAnswers(world(), [{ sku: 'MUG', quantity: 1 }], ALLOW);
    expect(isoDay(leaving.eta!)).toBe(isoDay(day(0)));
  });
});
