import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const PLACE = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id lines { sku quantity unitPrice lineTotal } }
}`;
const ORDER = `query($id: ID!) {
  order(id: $id) {
    status lines { sku quantity cancelledQuantity unitPrice lineTotal }
    splitInto { status lines { sku quantity unitPrice lineTotal } }
  }
}`;

describe('money: exact decimal prices over GraphQL, stored as numeric', () => {
  let h: Harness;
  let n = 0;
  const order = (lines: unknown[], extra: Record<string, unknown> = {}) => ({
    idempotencyKey: `money-${n++}`,
    customerId: 'c-money',
    channel: 'web',
    currency: 'EUR',
    shipToRegion: 'EU',
    lines,
    ...extra,
  });
  const counts = async () =>
    (await h.orm.em.fork().execute(`select (select count(*) from sales_order)::int as orders, (select count(*) from order_line)::int as lines`))[0];

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(`mutation {
      upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { code }
      a: upsertProduct(input: { sku: "DIME", name: "Dime" }) { sku }
      b: upsertProduct(input: { sku: "MUG", name: "Mug" }) { sku }
    }`);
    await h.ok(`mutation { adjustStock(input: { sku: "MUG", warehouseCode: "EAST", delta: 70, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => h?.stop());

  it('0.1 and 0.2 round-trip exactly, as strings, from numbers and strings, and add up in the line total', async () => {
    const { placeOrder } = await h.ok(PLACE, {
      input: order([
        { sku: 'DIME', quantity: 3, unitPrice: 0.1 },
        { sku: 'DIME', quantity: 1, unitPrice: '0.20' },
        { sku: 'DIME', quantity: 7, unitPrice: '19.99' },
      ]),
    });
    expect(placeOrder.lines).toEqual([
      { sku: 'DIME', quantity: 3, unitPrice: '0.1', lineTotal: '0.3' },
      { sku: 'DIME', quantity: 1, unitPrice: '0.2', lineTotal: '0.2' },
      { sku: 'DIME', quantity: 7, unitPrice: '19.99', lineTotal: '139.93' },
    ]);
    const rows = await h.orm.em
      .fork()
      .execute(`select unit_price::text as price, pg_typeof(unit_price)::text as type from order_line where order_id = ? order by line_no`, [
        placeOrder.id,
      ]);
    expect(rows).toEqual([
      { price: '0.1000', type: 'numeric' },
      { price: '0.2000', type: 'numeric' },
      { price: '19.9900', type: 'numeric' },
    ]);
    const [sum] = await h.orm.em
      .fork()
      .execute(`select sum(unit_price * quantity)::text as total from order_line where order_id = ?`, [placeOrder.id]);
    expect(sum.total).toBe('140.4300');
  });

  it('takes a number literal in the query as written, and yen without decimals', async () => {
    const literal = await h.ok(`mutation {
      placeOrder(input: { idempotencyKey: "money-literal", customerId: "c-money", channel: "web", currency: "JPY", shipToRegion: "EU",
                          lines: [{ sku: "DIME", quantity: 2, unitPrice: 1200 }] }) { lines { unitPrice lineTotal } }
    }`);
    expect(literal.placeOrder.lines).toEqual([{ unitPrice: '1200', lineTotal: '2400' }]);
  });

  it('refuses too many decimals, negative, NaN, non-numbers and absurd prices with BAD_USER_INPUT, writing nothing', async () => {
    const before = await counts();
    const cases: Array<[unknown, string, RegExp]> = [
      [0.1 + 0.2, 'EUR', /lines\[0\]\.unitPrice has more decimals than EUR allows \(at most 2\)/],
      ['12.505', 'EUR', /more decimals than EUR allows/],
      ['12.5', 'JPY', /more decimals than JPY allows \(at most 0\)/],
      [-1, 'EUR', /lines\[0\]\.unitPrice must not be negative/],
      ['-0.01', 'EUR', /must not be negative/],
      ['1000000000.01', 'EUR', /must be at most 1000000000/],
      ['NaN', 'EUR', /Decimal must be a decimal number/],
      ['12,50', 'EUR', /Decimal must be a decimal number/],
      [true, 'EUR', /Decimal must be a decimal number or a string/],
      [null, 'EUR', /unitPrice/],
    ];
    for (const [unitPrice, currency, message] of cases) {
      const result = await h.gql(PLACE, { input: order([{ sku: 'DIME', quantity: 1, unitPrice }], { currency }) });
      expect(result.errors?.[0]?.extensions?.code, String(unitPrice)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message, String(unitPrice)).toMatch(message);
      expect(result.data?.placeOrder ?? null).toBeNull();
    }
    const literal = await h.gql(`mutation {
      placeOrder(input: { idempotencyKey: "money-bad-literal", customerId: "c", channel: "web", currency: "EUR", shipToRegion: "EU",
                          lines: [{ sku: "DIME", quantity: 1, unitPrice: 0.30000000000000004 }] }) { id }
    }`);
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);
  });

  it('a split order keeps the exact unit price, and a line total counts the units not cancelled', async () => {
    const { placeOrder } = await h.ok(PLACE, {
      input: order([{ sku: 'MUG', quantity: 100, unitPrice: '12.35' }], { fulfilmentPolicy: 'SPLIT_ORDER' }),
    });
    const split = await h.waitFor(async () => {
      const { order: current } = await h.ok(ORDER, { id: placeOrder.id });
      return current.splitInto.length > 0 && current;
    }, 'the order to split');
    expect(split.lines).toEqual([{ sku: 'MUG', quantity: 70, cancelledQuantity: 0, unitPrice: '12.35', lineTotal: '864.5' }]);
    expect(split.splitInto[0].lines).toEqual([{ sku: 'MUG', quantity: 30, unitPrice: '12.35', lineTotal: '370.5' }]);

    const cancelled = await h.ok(
      `mutation($id: ID!) { cancelOrderLine(orderId: $id, sku: "DIME", quantity: 2) { lines { quantity cancelledQuantity unitPrice lineTotal } } }`,
      {
        id: (await h.ok(PLACE, { input: order([{ sku: 'DIME', quantity: 5, unitPrice: '0.15' }]) })).placeOrder.id,
      },
    );
    expect(cancelled.cancelOrderLine.lines).toEqual([{ quantity: 5, cancelledQuantity: 2, unitPrice: '0.15', lineTotal: '0.45' }]);
  });
});
