import { describe, expect, it } from 'vitest';
import { FulfilmentPolicy, OrderFlag } from '../../src/orders/order.enums';
import { orderRequestHash } from '../../src/orders/order-request-hash';
import { PlaceOrderCommand, placementOutcome, preparePlacement } from '../../src/orders/place-order';
import { PlacementRow, placeOrdersValues } from '../../src/orders/place-orders-statement';

const command = (overrides: Partial<PlaceOrderCommand> = {}): PlaceOrderCommand => ({
  idempotencyKey: 'k-1',
  customerId: 'c-1',
  channel: 'web',
  currency: 'EUR',
  shipToRegion: 'EU',
  lines: [
    { sku: 'A', quantity: 2, unitPrice: '1.50' },
    { sku: 'B', quantity: 1 },
  ],
  ...overrides,
});
const row = (overrides: Partial<PlacementRow> = {}): PlacementRow => ({
  ord: 0,
  placed_id: null,
  previous_id: null,
  previous_customer_id: null,
  previous_hash: null,
  previous_number: null,
  unknown_skus: null,
  denied: null,
  served: true,
  ...overrides,
});
const refusal = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
};

describe('preparing a placement', () => {
  it('hashes the request as orderRequestHash does, with the prices parsed once, and says what was placed', () => {
    const prepared = preparePlacement(command());
    expect(prepared.requestHash).toBe(orderRequestHash(command()));
    expect(prepared.unitPrices).toEqual(['1.5', '0']);
    expect(prepared.message).toBe('Placed via web: 2 lines, 3 units');
    expect(refusal(() => preparePlacement(command({ lines: [{ sku: 'A', quantity: 1, unitPrice: '1.005' }] })))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('lays a group out as one array per column, lines pointing at their order by position', () => {
    const group = [
      preparePlacement(command()),
      preparePlacement(
        command({ idempotencyKey: 'k-2', flags: [OrderFlag.VIP, OrderFlag.VIP], taxRate: '25.0', lines: [{ sku: 'C', quantity: 5 }] }),
      ),
    ];
    const values = placeOrdersValues(group, FulfilmentPolicy.SHIP_COMPLETE);
    expect(values).toHaveLength(20);
    expect(values.slice(0, 4)).toEqual([
      [0, 1],
      [group[0].orderId, group[1].orderId],
      ['k-1', 'k-2'],
      ['c-1', 'c-1'],
    ]);
    expect(values[8]).toEqual(['NORMAL', 'NORMAL']);
    expect(values[9]).toEqual(['{}', '{"VIP"}']);
    expect(values[13]).toBe(FulfilmentPolicy.SHIP_COMPLETE);
    expect(values.slice(14, 19)).toEqual([
      [0, 0, 1],
      [1, 2, 1],
      ['A', 'B', 'C'],
      [2, 1, 5],
      ['1.5', '0', '0'],
    ]);
    expect(values[19]).toEqual([null, '25']);
  });
});

describe('what a row of the group statement means for its caller', () => {
  const prepared = preparePlacement(command());
  it('a written order, with its row', () => {
    expect(placementOutcome(prepared, row({ placed_id: 'o-1', id: 'o-1', number: '7' }))).toMatchObject({
      orderId: 'o-1',
      created: true,
      row: { id: 'o-1', number: '7' },
    });
  });
  it('the earlier order of the key: itself for the same body, a CONFLICT for another body or customer', () => {
    const earlier = { previous_id: 'o-0', previous_customer_id: 'c-1', previous_number: '3' };
    expect(placementOutcome(prepared, row({ ...earlier, previous_hash: prepared.requestHash }))).toEqual({ orderId: 'o-0', created: false });
    expect(placementOutcome(prepared, row({ ...earlier, previous_hash: null }))).toEqual({ orderId: 'o-0', created: false });
    expect(refusal(() => placementOutcome(prepared, row({ ...earlier, previous_hash: 'other' })))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/SO-3/),
    });
    expect(refusal(() => placementOutcome(prepared, row({ ...earlier, previous_customer_id: 'c-2' })))).toMatchObject({ code: 'CONFLICT' });
  });
  it('a refusal naming its reason', () => {
    expect(refusal(() => placementOutcome(prepared, row({ unknown_skus: ['B'] })))).toEqual({ code: 'BAD_USER_INPUT', message: 'Unknown SKU: B' });
    expect(refusal(() => placementOutcome(prepared, row({ served: false })))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'No warehouse ships to EU',
    });
    expect(refusal(() => placementOutcome(prepared, row({ denied: [{ sku: 'A', available: 1 }] })))).toMatchObject({ code: 'CONFLICT' });
  });
  it('nothing at all when a concurrent transaction wrote the key first (the caller reads that order)', () => {
    expect(placementOutcome(prepared, row())).toBeNull();
  });
});
