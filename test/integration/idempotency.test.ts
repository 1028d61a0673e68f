import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlData, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number lines { sku quantity } } }`;

describe('placeOrder idempotency: a retry returns the first order, another body under the same key is a CONFLICT', () => {
  let api: TestApi;
  const storefront = tokenFor('storefront');
  const body = (key: string, overrides: Record<string, unknown> = {}) => ({
    idempotencyKey: key,
    customerId: 'c-1',
    channel: 'web',
    currency: 'EUR',
    shipToRegion: 'EU',
    flags: ['VIP', 'GIFT'],
    lines: [{ sku: 'MUG', quantity: 2, unitPrice: 12.5 }],
    ...overrides,
  });
  const place = (input: unknown) => gql(api.url, PLACE, { input }, storefront);
  const counts = async (key: string) => {
    const [row] = await api.orm.em.fork().execute(
      `select (select count(*) from sales_order where idempotency_key = ?)::int as orders,
              (select count(*) from order_event e join sales_order o on o.id = e.order_id where o.idempotency_key = ? and e.type = 'PLACED')::int as placed,
              (select count(*) from sales_order)::int as all_orders, (select count(*) from order_line)::int as all_lines,
              (select count(*) from outbox_message)::int as messages, (select count(*) from allocation_request)::int as requests`,
      [key, key],
    );
    return row;
  };

  beforeAll(async () => {
    api = await startTestApi();
    await gqlData(
      api.url,
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
      {},
      tokenFor('admin'),
    );
    await gqlData(
      api.url,
      `mutation { upsertProduct(input: { sku: "MUG", name: "Mug" }) { sku } upsertProduct2: upsertProduct(input: { sku: "CUP", name: "Cup" }) { sku } }`,
      {},
      tokenFor('admin'),
    );
  });
  afterAll(async () => api?.close());

  it('returns the first order for the same body, even with its flags in another order', async () => {
    const first = await place(body('same-1'));
    const again = await place(body('same-1'));
    const reordered = await place(body('same-1', { flags: ['GIFT', 'VIP', 'GIFT'] }));
    expect(first.errors).toBeUndefined();
    expect(again.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
    expect(reordered.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
    expect(await counts('same-1')).toMatchObject({ orders: 1, placed: 1 });
  });

  it('answers CONFLICT naming the key when the body differs, and writes nothing', async () => {
    const first = await place(body('differs-1'));
    expect(first.errors).toBeUndefined();
    const before = await counts('differs-1');
    for (const other of [
      body('differs-1', { lines: [{ sku: 'MUG', quantity: 3, unitPrice: 12.5 }] }),
      body('differs-1', { lines: [{ sku: 'CUP', quantity: 2, unitPrice: 12.5 }] }),
      body('differs-1', { shipToRegion: 'US' }),
      body('differs-1', { fulfilmentPolicy: 'SHIP_COMPLETE' }),
      body('differs-1', { flags: [] }),
    ]) {
      const response = await place(other);
      expect(response.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(response.errors?.[0]?.message).toMatch(/idempotencyKey "differs-1" was already used for order SO-\d+ with a different request body/);
      expect(response.errors?.[0]?.extensions?.details).toMatchObject({
        field: 'idempotencyKey',
        idempotencyKey: 'differs-1',
        orderId: first.data?.placeOrder.id,
      });
      expect(response.data?.placeOrder ?? null).toBeNull();
    }
    expect(await counts('differs-1')).toEqual(before);
    // The first body still returns the first order afterwards.
    expect((await place(body('differs-1'))).data?.placeOrder.id).toBe(first.data?.placeOrder.id);
  });

  it('gives concurrent identical retries one order, and all of them that order', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => place(body('race-1'))));
    expect(responses.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(responses.map((r) => r.data?.placeOrder.id)).size).toBe(1);
    expect(await counts('race-1')).toMatchObject({ orders: 1, placed: 1 });
  });

  it('lets one of two concurrent bodies under one key win: its requests get the order, the others CONFLICT', async () => {
    const a = body('race-2');
    const b = body('race-2', { lines: [{ sku: 'CUP', quantity: 1, unitPrice: 3 }] });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => place(i % 2 === 0 ? a : b)));
    const { orders, placed } = await counts('race-2');
    expect({ orders, placed }).toEqual({ orders: 1, placed: 1 });
    const [stored] = await api.orm.em
      .fork()
      .execute(`select l.sku from order_line l join sales_order o on o.id = l.order_id where o.idempotency_key = 'race-2'`);
    const winner = stored.sku === 'MUG' ? 0 : 1;
    responses.forEach((response, i) => {
      if (i % 2 === winner) expect(response.errors, `request ${i}`).toBeUndefined();
      else expect(response.errors?.[0]?.extensions?.code, `request ${i}`).toBe('CONFLICT');
    });
  });

  it('still returns an order placed before request hashes were stored', async () => {
    const first = await place(body('legacy-1'));
    await api.orm.em.fork().execute(`update sales_order set request_hash = null where idempotency_key = 'legacy-1'`);
    const retry = await place(body('legacy-1', { lines: [{ sku: 'MUG', quantity: 9, unitPrice: 1 }] }));
    expect(retry.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
  });
});
