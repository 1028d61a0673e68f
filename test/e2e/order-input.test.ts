import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const valid = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: `k-${Math.random()}`,
  customerId: 'cust-1',
  channel: 'web',
  currency: 'EUR',
  shipToRegion: 'EU',
  lines: [{ sku: 'KNOWN', quantity: 1, unitPrice: 2 }],
  ...overrides,
});

describe('placing orders: bad input and roles are refused, and nothing is written', () => {
  let h: Harness;
  const counts = async () => {
    const [row] = await h.orm.em.fork().execute(
      `select (select count(*) from sales_order)::int as orders, (select count(*) from order_line)::int as lines,
              (select count(*) from order_event)::int as events, (select count(*) from allocation_request)::int as requests,
              (select count(*) from outbox_message where kind = 'allocate')::int as jobs`,
    );
    return row;
  };

  beforeAll(async () => {
    // No worker: allocation requests stay visible, so "nothing written" is checked on them too.
    h = await Harness.start({ worker: false });
    await h.ok(`mutation { upsertProduct(input: { sku: "KNOWN", name: "Known" }) { sku } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "EU-1", name: "EU", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "SHUT", name: "Closed", region: "MOON", active: false,
                                                    shippingLanes: [{ region: "MOON", days: 1 }] }) { id } }`);
  });
  afterAll(async () => h?.stop());

  const expectRefused = async (input: unknown, code: string, token?: string | null) => {
    const before = await counts();
    const result = await h.gql(PLACE, { input }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.data?.placeOrder ?? null).toBeNull();
    expect(await counts()).toEqual(before);
    return result.errors![0];
  };

  it('refuses a region no warehouse ships to, or only an inactive one does, with BAD_USER_INPUT', async () => {
    const mars = await expectRefused(valid({ shipToRegion: 'MARS' }), 'BAD_USER_INPUT');
    expect(mars.message).toBe('No warehouse ships to MARS');
    expect(mars.extensions?.details).toEqual({ field: 'shipToRegion', region: 'MARS' });
    await expectRefused(valid({ shipToRegion: 'MOON' }), 'BAD_USER_INPUT');
  });

  it('refuses an unknown SKU', async () => {
    const error = await expectRefused(
      valid({
        lines: [
          { sku: 'KNOWN', quantity: 1, unitPrice: 1 },
          { sku: 'NOPE', quantity: 1, unitPrice: 1 },
        ],
      }),
      'BAD_USER_INPUT',
    );
    expect(error.message).toBe('Unknown SKU: NOPE');
  });

  it('refuses zero and negative quantities, and no lines at all', async () => {
    await expectRefused(valid({ lines: [{ sku: 'KNOWN', quantity: 0, unitPrice: 1 }] }), 'BAD_USER_INPUT');
    await expectRefused(valid({ lines: [{ sku: 'KNOWN', quantity: -3, unitPrice: 1 }] }), 'BAD_USER_INPUT');
    await expectRefused(valid({ lines: [] }), 'BAD_USER_INPUT');
    await expectRefused(valid({ currency: 'euro' }), 'BAD_USER_INPUT');
  });

  it('refuses missing required fields', async () => {
    const { idempotencyKey: _key, ...withoutKey } = valid();
    await expectRefused(withoutKey, 'BAD_USER_INPUT');
    const { lines: _lines, ...withoutLines } = valid();
    await expectRefused(withoutLines, 'BAD_USER_INPUT');
    await expectRefused(valid({ customerId: '' }), 'BAD_USER_INPUT');
  });

  it('refuses callers without a token or with a role that may not place orders', async () => {
    await expectRefused(valid(), 'UNAUTHENTICATED', null);
    await expectRefused(valid(), 'FORBIDDEN', h.token('customer', 'cust-1'));
    await expectRefused(valid(), 'FORBIDDEN', h.token('ops'));
    await expectRefused(valid(), 'UNAUTHENTICATED', 'not-a-token');
  });

  it('lets a storefront place an order, and a customer read only their own', async () => {
    const placed = (await h.ok(PLACE, { input: valid({ customerId: 'cust-7' }) }, h.token('storefront'))).placeOrder;
    expect(placed.status).toBe('PENDING');
    const own = await h.gql(`query($id: ID!) { order(id: $id) { id customerId } }`, { id: placed.id }, h.token('customer', 'cust-7'));
    expect(own.data.order).toEqual({ id: placed.id, customerId: 'cust-7' });
    const other = await h.gql(`query($id: ID!) { order(id: $id) { id } }`, { id: placed.id }, h.token('customer', 'cust-8'));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await h.gql(`{ orders { totalCount edges { node { customerId } } } }`, {}, h.token('customer', 'cust-8'));
    expect(listed.data.orders.totalCount).toBe(0);
    expect((await counts()).requests).toBe(1);
  });

  it('refuses more than is available of a product that may not be backordered, and takes what is', async () => {
    await h.ok(`mutation { upsertWarehouse(input: { code: "W", name: "W", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "NO-BACKORDER", name: "Scarce", backorderPolicy: DENY }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "NO-BACKORDER", warehouseCode: "W", delta: 2, reason: "count" }) { onHand } }`);
    const error = await expectRefused(
      valid({
        lines: [
          { sku: 'NO-BACKORDER', quantity: 2, unitPrice: 1 },
          { sku: 'NO-BACKORDER', quantity: 1, unitPrice: 1 },
        ],
      }),
      'CONFLICT',
    );
    expect(error.message).toBe('Only 2 of NO-BACKORDER available and it may not be backordered');
    const placed = (await h.ok(PLACE, { input: valid({ lines: [{ sku: 'NO-BACKORDER', quantity: 2, unitPrice: 1 }] }) })).placeOrder;
    expect(placed.status).toBe('PENDING');
  });
});
