import { describe, expect, it } from 'vitest';
import { orderEventMessageOf, orderEventMessageSql } from '../../src/orders/order-events';

describe('the order event payload', () => {
  it('is built from an event row with ids as text and the time as ISO', () => {
    const at = new Date('2026-12-03T10:11:12.345Z');
    expect(orderEventMessageOf({ id: 42, order_id: 'o-1', type: 'PLACED', status: 'PENDING', message: 'Placed', at }, 'c-1')).toEqual({
      id: '42',
      orderId: 'o-1',
      customerId: 'c-1',
      type: 'PLACED',
      status: 'PENDING',
      message: 'Placed',
      at: '2026-12-03T10:11:12.345Z',
    });
  });

  it('has the same fields when built in SQL by the group-committed placement', () => {
    const sqlKeys = [...orderEventMessageSql('e', 'p.customer_id').matchAll(/'(\w+)', (?!')/g)].map((m) => m[1]);
    const tsKeys = Object.keys(orderEventMessageOf({ id: 1, order_id: 'o', type: 't', status: 's', message: 'm', at: new Date() }, 'c'));
    expect(sqlKeys.sort()).toEqual(tsKeys.sort());
  });
});
