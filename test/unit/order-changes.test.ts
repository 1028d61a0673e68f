import { describe, expect, it } from 'vitest';
import { planOrderChange, validateOrderChange, validNote } from '../../src/orders/order-changes';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority } from '../../src/orders/order.enums';
import { requireVersion } from '../../src/orders/order-version';
import { DomainError } from '../../src/shared/errors';

const current = {
  priority: OrderPriority.NORMAL,
  flags: [OrderFlag.GIFT],
  fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
  shipToRegion: 'EU',
  maxWarehouses: null,
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'OTHER';
  }
  return null;
};

describe('planning an order change', () => {
  it('one event per field that changes; same values change nothing', () => {
    const plan = planOrderChange(current, {
      priority: OrderPriority.HIGH,
      flags: [OrderFlag.GIFT],
      fulfilmentPolicy: FulfilmentPolicy.SHIP_COMPLETE,
    });
    expect(plan.events.map((e) => e.type)).toEqual([OrderEventType.PRIORITY_CHANGED, OrderEventType.POLICY_CHANGED]);
    expect(plan.terms).toMatchObject({ priority: 'HIGH', fulfilmentPolicy: 'SHIP_COMPLETE', flags: ['GIFT'] });
    expect(plan.releaseReservations).toBe(false);
    expect(planOrderChange(current, { priority: OrderPriority.NORMAL, shipToRegion: ' EU ' }).events).toEqual([]);
  });

  it('a new region or parcel limit gives the reservations back for a fresh plan', () => {
    const region = planOrderChange(current, { shipToRegion: 'US' });
    expect(region.events).toEqual([{ type: OrderEventType.SHIP_TO_CHANGED, message: 'Ship-to region changed from EU to US' }]);
    expect(region.releaseReservations).toBe(true);
    expect(planOrderChange(current, { maxWarehouses: 1 }).releaseReservations).toBe(true);
  });

  it('flags are a set: order and repeats do not matter', () => {
    expect(
      planOrderChange({ ...current, flags: [OrderFlag.GIFT, OrderFlag.VIP] }, { flags: [OrderFlag.VIP, OrderFlag.GIFT, OrderFlag.VIP] }).events,
    ).toEqual([]);
  });

  it('refuses empty and malformed changes', () => {
    expect(codeOf(() => validateOrderChange({}))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateOrderChange({ maxWarehouses: 0 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateOrderChange({ maxWarehouses: 1.5 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateOrderChange({ shipToRegion: 'E U' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateOrderChange({ priority: 'SOON' as OrderPriority }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateOrderChange({ maxWarehouses: 2 }))).toBeNull();
  });
});

describe('notes and versions', () => {
  it('a note is trimmed text of at most 2000 characters without control characters', () => {
    expect(validNote('  called back \n twice ')).toBe('called back \n twice');
    expect(codeOf(() => validNote(''))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validNote('a'.repeat(2001)))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validNote('nul\u0000byte'))).toBe('BAD_USER_INPUT');
  });

  it('a stale version is a CONFLICT naming the current one', () => {
    const order = { id: 'o', number: '7', customerId: 'c', status: 'ALLOCATED' as any, fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL, version: 4 };
    expect(() => requireVersion(order, 4)).not.toThrow();
    try {
      requireVersion(order, 3);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFLICT', details: { expectedVersion: 3, currentVersion: 4 } });
    }
    expect(codeOf(() => requireVersion(order, 0))).toBe('BAD_USER_INPUT');
  });
});
