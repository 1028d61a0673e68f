import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const DAY = 86_400_000;
const isoDay = (value: string | Date) => new Date(value).toISOString().slice(0, 10);
const AVAILABILITY = `query($sku: String!, $quantity: Int!, $region: String) {
  availability(sku: $sku, quantity: $quantity, region: $region) { sku quantity availableNow eta perWarehouse { warehouseCode available eta } } }`;

describe('availability for storefronts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(`mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 4 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "AV", name: "Available", leadTimeDays: 30 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "AV", warehouseCode: "EAST", delta: 5, reason: "count" }) { onHand } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "AV", warehouseCode: "WEST", delta: 3, reason: "count" }) { onHand } }`);
    await h.ok(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id } }`, {
      i: { supplier: 'Acme', warehouseCode: 'EAST', expectedAt: new Date(Date.now() + 6 * DAY).toISOString(), lines: [{ sku: 'AV', quantity: 10 }] },
    });
    // An earlier order takes 5 at EAST and 1 at WEST.
    const earlier = (await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { idempotencyKey: 'earlier', customerId: 'c-1', channel: 'web', currency: 'EUR', shipToRegion: 'EU', lines: [{ sku: 'AV', quantity: 6, unitPrice: 1 }] },
    })).placeOrder;
    await h.waitFor(async () => (await h.ok(`query($id: ID!) { order(id: $id) { status } }`, { id: earlier.id })).order.status === 'ALLOCATED', 'the earlier order');
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
    const placed = (await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { idempotencyKey: 'as-told', customerId: 'c-2', channel: 'web', currency: 'EUR', shipToRegion: 'EU', lines: [{ sku: 'AV', quantity: 4, unitPrice: 1 }] },
    })).placeOrder;
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
});
