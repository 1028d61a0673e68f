import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Harness } from '../support/harness';

const DAY = 86_400_000;
const isoDay = (value: string | Date) => new Date(value).toISOString().slice(0, 10);
const AVAILABILITY = `query($sku: String!, $quantity: Int!, $region: String) {
  availability(sku: $sku, quantity: $quantity, region: $region) { sku quantity availableNow eta perWarehouse { warehouseCode available eta } } }`;

describe('availability for storefronts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`,
    );
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 4 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "AV", name: "Available", leadTimeDays: 30 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "AV", warehouseCode: "EAST", delta: 5, reason: "count" }) { onHand } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "AV", warehouseCode: "WEST", delta: 3, reason: "count" }) { onHand } }`);
    await h.ok(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id } }`, {
      i: { supplier: 'Acme', warehouseCode: 'EAST', expectedAt: new Date(Date.now() + 6 * DAY).toISOString(), lines: [{ sku: 'AV', quantity: 10 }] },
    });
    // An earlier order takes 5 at EAST and 1 at WEST.
    const earlier = (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: 'earlier',
          customerId: 'c-1',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'AV', quantity: 6, unitPrice: 1 }],
        },
      })
    ).placeOrder;
    await h.waitFor(
      async () => (await h.ok(`query($id: ID!) { order(id: $id) { status } }`, { id: earlier.id })).order.status === 'ALLOCATED',
      'the earlier order',
    );
  });
  afterAll(async () => h?.stop());

  it('answers from stock net of earlier orders, then from the purchase order, per warehouse', async () => {
    const answer = (await h.ok(AVAILABILITY, { sku: 'AV', quantity: 4, region: 'EU' }, h.token('storefront'))).availability;
    expect(answer.availableNow).toBe(2);
    expect(isoDay(answer.eta)).toBe(isoDay(new Date(Date.now() + 8 * DAY)));
    expect(answer.perWarehouse.map((w: any) => [w.warehouseCode, w.available, w.eta && isoDay(w.eta)])).toEqual([
      ['EAST', 0, null],
      ['WEST', 2, isoDay(new Date(Date.now() + 4 * DAY))],
    ]);
    const fromStock = (await h.ok(AVAILABILITY, { sku: 'AV', quantity: 2, region: 'EU' }, h.token('storefront'))).availability;
    expect(isoDay(fromStock.eta)).toBe(isoDay(new Date(Date.now() + 4 * DAY)));
    const leaving = (await h.ok(AVAILABILITY, { sku: 'AV', quantity: 2 }, h.token('storefront'))).availability;
    expect(isoDay(leaving.eta)).toBe(isoDay(new Date()));
  });

  it('tells a shop what allocation then does', async () => {
    const promised = (await h.ok(AVAILABILITY, { sku: 'AV', quantity: 4, region: 'EU' })).availability;
    const placed = (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: 'as-told',
          customerId: 'c-2',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'AV', quantity: 4, unitPrice: 1 }],
        },
      })
    ).placeOrder;
    const order = await h.waitFor(async () => {
      const o = (await h.ok(`query($id: ID!) { order(id: $id) { status lines { eta } } }`, { id: placed.id })).order;
      return o.status === 'PARTIALLY_ALLOCATED' ? o : null;
    }, 'the order to be allocated');
    expect(isoDay(order.lines[0].eta)).toBe(isoDay(promised.eta));
  });

  it('refuses a non-positive quantity and an unknown SKU, and customers', async () => {
    expect((await h.gql(AVAILABILITY, { sku: 'AV', quantity: 0 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await h.gql(AVAILABILITY, { sku: 'NOPE', quantity: 1 })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await h.gql(AVAILABILITY, { sku: 'AV', quantity: 1 }, h.token('customer', 'c-1'))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers many SKUs in one request, in the order asked, in one statement, as for one SKU', async () => {
    const skus = Array.from({ length: 20 }, (_, i) => `CAT-${i}`);
    for (const [i, sku] of skus.entries()) {
      await h.ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", leadTimeDays: ${i + 1} }) { sku } }`);
    }
    await h.ok(`mutation { adjustStock(input: { sku: "CAT-3", warehouseCode: "EAST", delta: 4, reason: "count" }) { onHand } }`);
    const MANY = `query($items: [AvailabilityItemInput!]!, $region: String) {
      availabilities(items: $items, region: $region) { sku quantity availableNow eta tranches { kind quantity } } }`;
    // Let the worker settle the requests those changes owe first: it shares the connection pool counted below.
    await h.waitFor(
      async () => (await h.orm.em.fork().execute(`select count(*)::int as n from allocation_request`))[0].n === 0,
      'the worker to be idle',
    );
    // Storefront reads run on the hot paths' pool: count the statements sent there.
    const spy = vi.spyOn(h.services.pg, 'query');
    const reads = () => spy.mock.calls.length;
    try {
      const one = (await h.ok(MANY, { items: [{ sku: 'CAT-3', quantity: 2 }], region: 'EU' }, h.token('storefront'))).availabilities;
      expect(reads()).toBe(1);
      spy.mockClear();
      const many = (await h.ok(MANY, { items: skus.map((sku) => ({ sku, quantity: 2 })), region: 'EU' }, h.token('storefront'))).availabilities;
      expect(reads()).toBe(1);
      expect(many.map((a: any) => a.sku)).toEqual(skus);
      const dayOf = (a: any) => ({ ...a, eta: isoDay(a.eta) });
      expect(dayOf(many[3])).toEqual(dayOf(one[0]));
      expect(many[3]).toMatchObject({ availableNow: 4, tranches: [{ kind: 'PULL', quantity: 2 }] });
      expect(isoDay(many[0].eta)).toBe(isoDay(new Date(Date.now() + 3 * DAY)));
    } finally {
      spy.mockRestore();
    }
    // The single-SKU field answers the same.
    const single = (await h.ok(AVAILABILITY, { sku: 'CAT-7', quantity: 2, region: 'EU' })).availability;
    const listed = (await h.ok(MANY, { items: [{ sku: 'CAT-7', quantity: 2 }], region: 'EU' })).availabilities[0];
    expect(isoDay(single.eta)).toBe(isoDay(listed.eta));
  });

  it('refuses a region no warehouse ships to instead of answering a date', async () => {
    const answer = await h.gql(AVAILABILITY, { sku: 'AV', quantity: 1, region: 'MARS' });
    expect(answer.errors?.[0]).toMatchObject({ message: 'No warehouse ships to MARS', extensions: { code: 'BAD_USER_INPUT' } });
    expect(answer.data?.availability ?? null).toBeNull();
  });
});
