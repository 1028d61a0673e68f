import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { expireLapsedQuotes } from '../../src/quotes/quote-expiry';
import { errorCode } from '../support/api-client';
import { Harness, ORDER_FIELDS } from '../support/harness';

const DAY = 86_400_000;
const FIELDS = `${ORDER_FIELDS} version placedAt allowedActions
  quote { validUntil sentAt confirmedAt expiredAt lapsed deliveryOptions { fulfilmentPolicy deliverable quantity summary parcels { kind warehouseCode quantity } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { ${FIELDS} } }`;
const CREATE = `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { ${FIELDS} } }`;
const action = (name: string) => `mutation($id: ID!, $v: Int!) { ${name}(orderId: $id, expectedVersion: $v) { ${FIELDS} } }`;
const SEND = action('sendQuote');
const CONFIRM = action('confirmQuote');
const EXPIRE = action('expireQuote');
const CANCEL = action('cancelOrder');

describe('quotes through the API and the worker', () => {
  let h: Harness;
  let n = 0;
  const service = () => h.token('service');

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
  });
  afterAll(async () => h?.stop());

  const product = async (sku: string, onHand: number) => {
    await h.ok(`mutation($sku: String!) { upsertProduct(input: { sku: $sku, name: $sku, leadTimeDays: 10 }) { sku } }`, { sku });
    if (onHand > 0) {
      await h.ok(`mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
        input: { sku, warehouseCode: 'EAST', delta: onHand, reason: 'count' },
      });
    }
  };
  const quoteInput = (sku: string, quantity: number, extra: Record<string, unknown> = {}) => ({
    idempotencyKey: `quote-${++n}`,
    customerId: 'c-q',
    channel: 'b2b',
    currency: 'EUR',
    shipToRegion: 'EU',
    validUntil: new Date(Date.now() + 7 * DAY).toISOString(),
    lines: [{ sku, quantity, unitPrice: '4.50' }],
    ...extra,
  });
  const createQuote = async (sku: string, quantity: number, extra: Record<string, unknown> = {}) =>
    (await h.ok(CREATE, { input: quoteInput(sku, quantity, extra) }, service())).createQuote;
  const read = async (id: string) => (await h.ok(ORDER, { id })).order;
  const waitForOrder = (id: string, test: (o: any) => boolean, what: string) =>
    h.waitFor(async () => {
      const o = await read(id);
      return test(o) ? o : null;
    }, what);
  const types = (o: any): string[] => o.events.map((e: any) => e.type);
  const count = async (sql: string, params: unknown[]) => Number((await h.orm.em.fork().execute(sql, params))[0].n);
  const stock = async (sku: string) =>
    (await h.ok(`query($sku: String!) { stockLevels(sku: $sku) { onHand reserved available } }`, { sku })).stockLevels[0];
  const owedAllocations = (orderId: string) => count(`select count(*)::int as n from allocation_request where order_id = ?`, [orderId]);
  /** An action refused with CONFLICT leaves the order exactly as it was. */
  const refusedUnchanged = async (query: string, variables: Record<string, unknown>, before: any, code = 'CONFLICT') => {
    const refused = await h.gql(query, variables, service());
    expect(errorCode(refused), JSON.stringify(refused.errors)).toBe(code);
    const after = await read(before.id);
    expect(after).toMatchObject({ status: before.status, version: before.version });
    expect(after.events).toHaveLength(before.events.length);
    return refused;
  };

  it('a quote reserves nothing, owes the allocator nothing, is no backorder, and shows its delivery options', async () => {
    await product('QA', 10);
    const quote = await createQuote('QA', 6);
    expect(quote).toMatchObject({ status: 'QUOTE', version: 1, customerId: 'c-q' });
    expect(types(quote)).toEqual(['QUOTE_CREATED']);
    expect(quote.lines[0]).toMatchObject({ quantity: 6, allocatedQuantity: 0, backorderedQuantity: 6, allocations: [] });
    expect(quote.quote).toMatchObject({ sentAt: null, confirmedAt: null, lapsed: false });
    expect(quote.allowedActions).toEqual(expect.arrayContaining(['SEND_QUOTE', 'CONFIRM_QUOTE', 'EXPIRE_QUOTE', 'CANCEL']));

    // Its delivery options are the cart's, as deliveryOptions answers them for the same lines and region.
    const { deliveryOptions } = await h.ok(
      `query { deliveryOptions(input: { region: "EU", lines: [{ sku: "QA", quantity: 6 }] }) { fulfilmentPolicy deliverable quantity summary parcels { kind warehouseCode quantity } } }`,
    );
    expect(quote.quote.deliveryOptions).toEqual(deliveryOptions);
    expect(quote.quote.deliveryOptions[0]).toMatchObject({ deliverable: true, parcels: [{ kind: 'PULL', warehouseCode: 'EAST', quantity: 6 }] });

    await h.worker!.drain();
    expect(await read(quote.id)).toMatchObject({ status: 'QUOTE', version: 1 });
    expect(await owedAllocations(quote.id)).toBe(0);
    expect(await count(`select count(*)::int as n from allocation where order_id = ?`, [quote.id])).toBe(0);
    expect(await stock('QA')).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const lists = await h.ok(`query { backorders(filter: { sku: "QA" }) { totalCount } backorderTotals(filter: { sku: "QA" }) { sku } }`);
    expect(lists).toEqual({ backorders: { totalCount: 0 }, backorderTotals: [] });
  });

  it('quotes are never demand: an order placed after a quote takes the stock the quote would have wanted', async () => {
    await product('QD', 5);
    const quote = await createQuote('QD', 5);
    const { placeOrder } = await h.ok(`mutation { placeOrder(input: { idempotencyKey: "qd-order", customerId: "c-2", channel: "web", currency: "EUR",
      shipToRegion: "EU", lines: [{ sku: "QD", quantity: 5, unitPrice: "1" }] }) { id } }`);
    const placed = await waitForOrder(placeOrder.id, (o) => o.status !== 'PENDING', 'the order to be allocated');
    expect(placed.status).toBe('ALLOCATED');
    // The quote now shows what it would get if placed: nothing is left in stock, so it would wait.
    const after = await read(quote.id);
    expect(after.status).toBe('QUOTE');
    expect(after.quote.deliveryOptions[0].parcels.every((p: any) => p.kind !== 'PULL')).toBe(true);
  });

  it('createQuote is idempotent on its key; placeOrder with a quote key is a CONFLICT', async () => {
    await product('QI', 3);
    const input = quoteInput('QI', 2);
    const first = (await h.ok(CREATE, { input }, service())).createQuote;
    const again = (await h.ok(CREATE, { input }, service())).createQuote;
    expect(again.id).toBe(first.id);
    expect(types(again)).toEqual(['QUOTE_CREATED']);
    const other = await h.gql(CREATE, { input: { ...input, lines: [{ sku: 'QI', quantity: 3, unitPrice: '4.50' }] } }, service());
    expect(errorCode(other)).toBe('CONFLICT');
    const { validUntil: _v, ...placeInput } = input;
    const asOrder = await h.gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input: placeInput });
    expect(errorCode(asOrder)).toBe('CONFLICT');
    expect(await count(`select count(*)::int as n from sales_order where idempotency_key = ?`, [input.idempotencyKey])).toBe(1);
  });

  it('send, then confirm: an ordinary order, allocated once; confirming again returns the same order', async () => {
    await product('QC', 10);
    const quote = await createQuote('QC', 4);
    const feed = await h.subscribe(
      `subscription($id: ID!) { orderUpdated(orderId: $id) { type status } }`,
      { id: quote.id },
      `${topics(h.config.redisPrefix).orderUpdated}:${quote.id}`,
    );
    const sent = (await h.ok(SEND, { id: quote.id, v: quote.version }, service())).sendQuote;
    expect(sent).toMatchObject({ status: 'QUOTE_SENT', version: 2 });
    expect(sent.quote.sentAt).not.toBeNull();

    const confirmed = (await h.ok(CONFIRM, { id: quote.id, v: sent.version }, service())).confirmQuote;
    expect(confirmed).toMatchObject({ id: quote.id, number: quote.number, status: 'PENDING', version: 3 });
    expect(types(confirmed)).toEqual(['QUOTE_CREATED', 'QUOTE_SENT', 'QUOTE_CONFIRMED', 'PLACED']);
    expect(confirmed.quote.confirmedAt).not.toBeNull();
    expect(confirmed.quote.deliveryOptions).toEqual([]);
    expect(new Date(confirmed.placedAt).getTime()).toBeGreaterThan(new Date(quote.placedAt).getTime());

    const allocated = await waitForOrder(quote.id, (o) => o.status === 'ALLOCATED', 'the confirmed quote to be allocated');
    expect(allocated.lines[0]).toMatchObject({ allocatedQuantity: 4, backorderedQuantity: 0 });
    expect(await stock('QC')).toMatchObject({ onHand: 10, reserved: 4 });

    // Confirming again, with the version the agent saw before: the same order, nothing new written.
    const again = (await h.ok(CONFIRM, { id: quote.id, v: sent.version }, service())).confirmQuote;
    expect(again).toMatchObject({ id: quote.id, status: 'ALLOCATED', version: allocated.version });
    expect(again.events).toHaveLength(allocated.events.length);
    await h.worker!.drain();
    expect(await stock('QC')).toMatchObject({ onHand: 10, reserved: 4 });
    expect(types(await read(quote.id)).filter((t) => t === 'PLACED')).toHaveLength(1);
    await h.waitFor(
      () => ['QUOTE_SENT', 'QUOTE_CONFIRMED', 'PLACED', 'ALLOCATED'].every((t) => feed.received.some((e) => e.orderUpdated.type === t)),
      'the events on orderUpdated',
    );

    // A confirmed order is no quote: sending or expiring it is an illegal transition.
    await refusedUnchanged(SEND, { id: quote.id, v: allocated.version }, allocated);
    await refusedUnchanged(EXPIRE, { id: quote.id, v: allocated.version }, allocated);
  });

  it('concurrent confirmations make one order, one PLACED, one allocation', async () => {
    await product('QR', 10);
    const quote = await createQuote('QR', 3);
    const results = await Promise.all(Array.from({ length: 6 }, () => h.gql(CONFIRM, { id: quote.id, v: quote.version }, service())));
    expect(results.map((r) => r.errors ?? null)).toEqual(results.map(() => null));
    expect(new Set(results.map((r) => r.data!.confirmQuote.id))).toEqual(new Set([quote.id]));
    const allocated = await waitForOrder(quote.id, (o) => o.status === 'ALLOCATED', 'allocation');
    const timeline = types(allocated);
    expect(timeline.filter((t) => t === 'QUOTE_CONFIRMED')).toHaveLength(1);
    expect(timeline.filter((t) => t === 'PLACED')).toHaveLength(1);
    await h.worker!.drain();
    expect(await stock('QR')).toMatchObject({ reserved: 3 });
    expect(await count(`select count(*)::int as n from allocation where order_id = ? and status = 'ACTIVE'`, [quote.id])).toBe(1);
  });

  it('a quote past validUntil cannot be sent or confirmed (CONFLICT, nothing changes); the sweep expires it', async () => {
    await product('QE', 10);
    const quote = await createQuote('QE', 2);
    // Time passes: the offer lapses (by the database's clock, the one confirmation and the sweep read).
    await h.orm.em.fork().execute(`update quote set valid_until = now() - interval '1 second' where order_id = ?`, [quote.id]);
    const lapsed = await read(quote.id);
    expect(lapsed).toMatchObject({ status: 'QUOTE', version: 1, quote: { lapsed: true } });
    const refused = await refusedUnchanged(CONFIRM, { id: quote.id, v: 1 }, lapsed);
    expect(refused.errors![0].message).toContain('can no longer be confirmed');
    await refusedUnchanged(SEND, { id: quote.id, v: 1 }, lapsed);
    expect(await owedAllocations(quote.id)).toBe(0);

    const feed = await h.subscribe(
      `subscription($id: ID!) { orderUpdated(orderId: $id) { type status } }`,
      { id: quote.id },
      `${topics(h.config.redisPrefix).orderUpdated}:${quote.id}`,
    );
    expect(await expireLapsedQuotes(h.orm)).toBeGreaterThanOrEqual(1);
    const expired = await read(quote.id);
    expect(expired).toMatchObject({ status: 'QUOTE_EXPIRED', version: 2, allowedActions: ['ADD_NOTE', 'RETURN_LOAN', 'SELL_LOAN'] });
    expect(expired.quote.expiredAt).not.toBeNull();
    expect(types(expired)).toEqual(['QUOTE_CREATED', 'QUOTE_EXPIRED']);
    expect(await expireLapsedQuotes(h.orm)).toBe(0);
    await refusedUnchanged(CONFIRM, { id: quote.id, v: 2 }, expired);
    await h.waitFor(
      () => feed.received.some((e) => e.orderUpdated.type === 'QUOTE_EXPIRED' && e.orderUpdated.status === 'QUOTE_EXPIRED'),
      'QUOTE_EXPIRED on orderUpdated',
    );
  });

  it('a quote withdrawn by hand expires at once', async () => {
    await product('QW', 1);
    const quote = await createQuote('QW', 1);
    const expired = (await h.ok(EXPIRE, { id: quote.id, v: 1 }, service())).expireQuote;
    expect(expired).toMatchObject({ status: 'QUOTE_EXPIRED', version: 2 });
    expect(types(expired)).toEqual(['QUOTE_CREATED', 'QUOTE_EXPIRED']);
  });

  it('illegal transitions and stale versions answer CONFLICT and change nothing', async () => {
    await product('QX', 10);
    // A declined (cancelled) quote cannot be confirmed.
    const declinedQuote = await createQuote('QX', 2);
    const declined = (await h.ok(CANCEL, { id: declinedQuote.id, v: 1 }, service())).cancelOrder;
    expect(declined).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(declined.events.at(-1).message).toContain('Quote declined');
    await refusedUnchanged(CONFIRM, { id: declined.id, v: 2 }, declined);
    await refusedUnchanged(SEND, { id: declined.id, v: 2 }, declined);

    // An ordinary order is no quote.
    const { placeOrder } = await h.ok(`mutation { placeOrder(input: { idempotencyKey: "qx-order", customerId: "c-2", channel: "web", currency: "EUR",
      shipToRegion: "EU", lines: [{ sku: "QX", quantity: 1, unitPrice: "1" }] }) { id } }`);
    const ordinary = await waitForOrder(placeOrder.id, (o) => o.status === 'ALLOCATED', 'allocation');
    await refusedUnchanged(CONFIRM, { id: ordinary.id, v: ordinary.version }, ordinary);
    await refusedUnchanged(SEND, { id: ordinary.id, v: ordinary.version }, ordinary);

    // A quote is no order yet: no re-plan, no change of terms, no partial cancel.
    const quote = await createQuote('QX', 3);
    await refusedUnchanged(
      `mutation($id: ID!, $v: Int!) { reallocateOrder(orderId: $id, expectedVersion: $v) { id } }`,
      { id: quote.id, v: 1 },
      quote,
    );
    await refusedUnchanged(
      `mutation($id: ID!, $v: Int!) { updateOrder(input: { orderId: $id, expectedVersion: $v, priority: HIGH }) { id } }`,
      { id: quote.id, v: 1 },
      quote,
    );
    await refusedUnchanged(
      `mutation($id: ID!, $v: Int!) { cancelOrderLine(orderId: $id, sku: "QX", quantity: 1, expectedVersion: $v) { id } }`,
      { id: quote.id, v: 1 },
      quote,
    );
    const stale = await refusedUnchanged(SEND, { id: quote.id, v: 7 }, quote);
    expect(stale.errors![0].extensions!.details).toEqual({ expectedVersion: 7, currentVersion: 1 });
    expect(await owedAllocations(quote.id)).toBe(0);

    const unknown = await h.gql(CONFIRM, { id: '00000000-0000-4000-8000-000000000000', v: 1 }, service());
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    const past = await h.gql(CREATE, { input: quoteInput('QX', 1, { validUntil: new Date(Date.now() - DAY).toISOString() }) }, service());
    expect(errorCode(past)).toBe('BAD_USER_INPUT');
  });

  it('roles: the seller quotes and confirms; a customer reads and may decline its own quote, never confirms one', async () => {
    await product('QP', 5);
    const quote = await createQuote('QP', 1);
    const own = h.token('customer', 'c-q');
    const stranger = h.token('customer', 'c-other');

    expect((await h.ok(ORDER, { id: quote.id }, own)).order.quote.validUntil).toBeTruthy();
    expect(errorCode(await h.gql(ORDER, { id: quote.id }, stranger))).toBe('FORBIDDEN');
    for (const token of [own, stranger, h.token('ops'), h.token('storefront')]) {
      expect(errorCode(await h.gql(CONFIRM, { id: quote.id, v: 1 }, token))).toBe('FORBIDDEN');
      expect(errorCode(await h.gql(SEND, { id: quote.id, v: 1 }, token))).toBe('FORBIDDEN');
    }
    expect(errorCode(await h.gql(CREATE, { input: quoteInput('QP', 1) }, h.token('storefront')))).toBe('FORBIDDEN');
    expect(errorCode(await h.gql(CANCEL, { id: quote.id, v: 1 }, stranger))).toBe('FORBIDDEN');
    expect(await read(quote.id)).toMatchObject({ status: 'QUOTE', version: 1 });

    const declined = (await h.ok(CANCEL, { id: quote.id, v: 1 }, own)).cancelOrder;
    expect(declined.status).toBe('CANCELLED');
  });

  it('orderTransitions lists the status model', async () => {
    const { orderTransitions } = await h.ok(`{ orderTransitions { from action to stock roles } }`, {}, h.token('customer', 'c-q'));
    expect(orderTransitions).toEqual(
      expect.arrayContaining([
        { from: 'QUOTE_SENT', action: 'CONFIRM_QUOTE', to: ['PENDING'], stock: 'none', roles: ['service', 'admin'] },
        { from: 'ALLOCATED', action: 'SHIP', to: ['PARTIALLY_SHIPPED', 'SHIPPED', 'ON_HOLD'], stock: 'take out of stock', roles: ['ops', 'admin'] },
      ]),
    );
  });
});
