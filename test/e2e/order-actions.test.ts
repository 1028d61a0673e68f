import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { errorCode } from '../support/api-client';
import { Harness, ORDER_FIELDS } from '../support/harness';

const DAY = 86_400_000;
const FIELDS = `${ORDER_FIELDS} version priority flags shipToRegion maxWarehouses`;
const ORDER = `query($id: ID!) { order(id: $id) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateOrderInput!) { updateOrder(input: $input) { ${FIELDS} } }`;
const NOTE = `mutation($id: ID!, $v: Int!, $text: String!) { addOrderNote(orderId: $id, expectedVersion: $v, text: $text) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $v: Int!) { cancelOrder(orderId: $id, expectedVersion: $v, reason: "customer asked") { ${FIELDS} } }`;
const RELEASE = `mutation($id: ID!, $v: Int!) { releaseOrderHold(orderId: $id, expectedVersion: $v) { ${FIELDS} } }`;
const REALLOCATE = `mutation($id: ID!, $v: Int!) { reallocateOrder(orderId: $id, expectedVersion: $v) { ${FIELDS} } }`;

describe('customer-service actions through the API and the worker', () => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "US", shippingLanes: [{ region: "US", days: 3, cost: 5 }] }) { id } }`,
    );
  });
  afterAll(async () => h?.stop());

  const product = async (sku: string) =>
    h.ok(`mutation($sku: String!) { upsertProduct(input: { sku: $sku, name: $sku, leadTimeDays: 20 }) { sku } }`, { sku });
  const adjust = (sku: string, warehouseCode: string, delta: number) =>
    h.ok(`mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
      input: { sku, warehouseCode, delta, reason: 'count' },
    });
  const order = async (id: string) => (await h.ok(ORDER, { id })).order;
  const waitForOrder = (id: string, test: (o: any) => boolean, what: string) =>
    h.waitFor(async () => {
      const o = await order(id);
      return test(o) ? o : null;
    }, what);
  /** Places an order and waits for the allocator to settle it. */
  const place = async (sku: string, quantity: number, extra: Record<string, unknown> = {}) => {
    const input = {
      idempotencyKey: `act-${++n}`,
      customerId: 'c-1',
      channel: 'web',
      currency: 'EUR',
      shipToRegion: 'EU',
      lines: [{ sku, quantity, unitPrice: '1.00' }],
      ...extra,
    };
    const { placeOrder } = await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id version status } }`, { input });
    return waitForOrder(placeOrder.id, (o) => o.status !== 'PENDING', `order ${placeOrder.id} to be allocated`);
  };
  const types = (o: any) => o.events.map((e: any) => e.type);

  it('the worker raises the version when it allocates an order', async () => {
    await product('V-1');
    await adjust('V-1', 'EAST', 3);
    const { placeOrder } = await h.ok(`mutation { placeOrder(input: { idempotencyKey: "v-1", customerId: "c-1", channel: "web", currency: "EUR",
      shipToRegion: "EU", lines: [{ sku: "V-1", quantity: 3, unitPrice: "1" }] }) { version status } }`);
    expect(placeOrder).toEqual({ version: 1, status: 'PENDING' });
    const [row] = await h.orm.em.fork().execute(`select id from sales_order where idempotency_key = 'v-1'`);
    const allocated = await waitForOrder(row.id, (o) => o.status === 'ALLOCATED', 'allocation');
    expect(allocated.version).toBeGreaterThan(1);
  });

  it('a higher priority moves an order ahead for a purchase order, with an event and one version up', async () => {
    await product('PRIO');
    const expectedAt = new Date(Date.now() + 5 * DAY).toISOString();
    await h.ok(
      `mutation($at: DateTime!) { createPurchaseOrder(input: { supplier: "S", warehouseCode: "EAST", expectedAt: $at, lines: [{ sku: "PRIO", quantity: 5 }] }) { id } }`,
      { at: expectedAt },
    );
    const first = await place('PRIO', 5);
    const second = await place('PRIO', 5);
    expect(first.lines[0].allocations[0].reason).toContain('PO-');
    expect(second.lines[0].allocations[0].reason).not.toContain('PO-');

    const feed = await h.subscribe(`subscription { orderEvents { orderId type message } }`, {}, topics(h.config.redisPrefix).orderEvents);
    const changed = (await h.ok(UPDATE, { input: { orderId: second.id, expectedVersion: second.version, priority: 'URGENT', flags: ['VIP'] } }))
      .updateOrder;
    expect(changed).toMatchObject({ version: second.version + 1, priority: 'URGENT', flags: ['VIP'] });
    expect(types(changed).filter((t: string) => t === 'PRIORITY_CHANGED')).toHaveLength(2);

    const replanned = await waitForOrder(
      second.id,
      (o) => o.lines[0].allocations.some((a: any) => a.reason.includes('PO-')),
      'the urgent order to wait for the PO',
    );
    expect(replanned.version).toBeGreaterThan(changed.version);
    const overtaken = await waitForOrder(
      first.id,
      (o) => !o.lines[0].allocations.some((a: any) => a.reason.includes('PO-')),
      'the older order to give way',
    );
    expect(overtaken.lines[0].backorderedQuantity).toBe(5);
    await h.waitFor(
      () => feed.received.some((e) => e.orderEvents.orderId === second.id && e.orderEvents.type === 'PRIORITY_CHANGED'),
      'the event on orderEvents',
    );
  });

  it('a stale expectedVersion is a CONFLICT with the current version, and changes nothing', async () => {
    await product('STALE');
    const o = await place('STALE', 2);
    const noted = (await h.ok(NOTE, { id: o.id, v: o.version, text: 'called the customer' })).addOrderNote;
    expect(noted.version).toBe(o.version + 1);
    expect(noted.events.at(-1)).toMatchObject({ type: 'NOTE_ADDED' });
    expect(noted.events.at(-1).message).toContain('called the customer');

    for (const [query, variables] of [
      [UPDATE, { input: { orderId: o.id, expectedVersion: o.version, priority: 'HIGH' } }],
      [NOTE, { id: o.id, v: o.version, text: 'late' }],
      [CANCEL, { id: o.id, v: o.version }],
      [REALLOCATE, { id: o.id, v: o.version }],
      [`mutation($id: ID!, $v: Int!) { cancelOrderLine(orderId: $id, sku: "STALE", expectedVersion: $v) { id } }`, { id: o.id, v: o.version }],
    ] as const) {
      const refused = await h.gql(query, variables as Record<string, unknown>);
      expect(errorCode(refused)).toBe('CONFLICT');
      expect(refused.errors![0].extensions!.details).toEqual({ expectedVersion: o.version, currentVersion: noted.version });
    }
    const after = await order(o.id);
    expect(after).toMatchObject({ version: noted.version, priority: 'NORMAL', status: o.status });
    expect(after.events).toHaveLength(noted.events.length);
    expect(after.lines[0].cancelledQuantity).toBe(0);
  });

  it('two agents acting at once on the same version: exactly one wins', async () => {
    await product('RACE2');
    const o = await place('RACE2', 1);
    const owed = async () =>
      Number((await h.orm.em.fork().execute(`select count(*)::int as n from allocation_request where order_id = ?`, [o.id]))[0].n);
    for (let round = 0; round < 3; round++) {
      // Let the worker finish re-planning the last round first: its own version bump would make both actions stale.
      for (let i = 0; i < 250 && (await owed()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const current = await order(o.id);
      // A real change on both sides: a priority the order already has is a no-op, which keeps the version and rightly wins too.
      const priority = current.priority === 'HIGH' ? 'LOW' : 'HIGH';
      const results = await Promise.all([
        h.gql(UPDATE, { input: { orderId: o.id, expectedVersion: current.version, priority } }, h.token('service')),
        h.gql(NOTE, { id: o.id, v: current.version, text: `round ${round}` }, h.token('service')),
      ]);
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.filter((r) => errorCode(r) === 'CONFLICT').length).toBe(1);
      expect((await order(o.id)).version).toBe(current.version + 1);
    }
  });

  it('releasing a hold ships what is there now', async () => {
    await product('HOLD');
    await adjust('HOLD', 'EAST', 7);
    const held = await place('HOLD', 10, { fulfilmentPolicy: 'SHIP_COMPLETE' });
    expect(held.status).toBe('ON_HOLD');
    expect(held.shipments[0].status).toBe('PENDING');
    const released = (await h.ok(RELEASE, { id: held.id, v: held.version }, h.token('service'))).releaseOrderHold;
    expect(released).toMatchObject({ status: 'PARTIALLY_ALLOCATED', fulfilmentPolicy: 'SHIP_PARTIAL', holdReason: null, version: held.version + 1 });
    expect(released.shipments[0]).toMatchObject({ status: 'READY', lines: [{ sku: 'HOLD', quantity: 7 }] });
    expect(types(released)).toContain('RELEASED');
    const again = await h.gql(RELEASE, { id: held.id, v: released.version });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('cancelling a whole order gives its stock to the next backorder at once', async () => {
    await product('CXL');
    await adjust('CXL', 'EAST', 5);
    const holder = await place('CXL', 5);
    const waiting = await place('CXL', 5);
    expect(holder.status).toBe('ALLOCATED');
    expect(waiting.status).toBe('BACKORDERED');
    const cancelled = (await h.ok(CANCEL, { id: holder.id, v: holder.version }, h.token('service'))).cancelOrder;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', version: holder.version + 1 });
    expect(cancelled.lines[0]).toMatchObject({ cancelledQuantity: 5, allocatedQuantity: 0 });
    expect(cancelled.events.at(-1).message).toContain('customer asked');
    const served = await waitForOrder(waiting.id, (o) => o.status === 'ALLOCATED', 'the backorder to be served');
    expect(served.lines[0].allocatedQuantity).toBe(5);
    const closed = await h.gql(CANCEL, { id: holder.id, v: cancelled.version });
    expect(errorCode(closed)).toBe('CONFLICT');
  });

  it('a customer may cancel its own order while nothing has shipped, nothing else', async () => {
    await product('CUST');
    await adjust('CUST', 'EAST', 4);
    const mine = await place('CUST', 2, { customerId: 'c-9' });
    const shipped = await place('CUST', 2, { customerId: 'c-9' });
    const customer = h.token('customer', 'c-9');

    expect(errorCode(await h.gql(CANCEL, { id: mine.id, v: mine.version }, h.token('customer', 'c-other')))).toBe('FORBIDDEN');
    expect(errorCode(await h.gql(NOTE, { id: mine.id, v: mine.version, text: 'hi' }, customer))).toBe('FORBIDDEN');
    expect(errorCode(await h.gql(UPDATE, { input: { orderId: mine.id, expectedVersion: mine.version, priority: 'URGENT' } }, customer))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await h.gql(CANCEL, { id: mine.id, v: mine.version }, h.token('storefront')))).toBe('FORBIDDEN');
    expect((await order(mine.id)).version).toBe(mine.version);

    const ok = (await h.ok(CANCEL, { id: mine.id, v: mine.version }, customer)).cancelOrder;
    expect(ok.status).toBe('CANCELLED');

    await h.ok(`mutation($id: ID!) { shipShipment(input: { shipmentId: $id, trackingNumber: "T-1" }) { status } }`, { id: shipped.shipments[0].id });
    const afterShip = await order(shipped.id);
    const refused = await h.gql(CANCEL, { id: shipped.id, v: afterShip.version }, customer);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect((await order(shipped.id)).status).toBe('SHIPPED');
  });

  it('a new ship-to region must be deliverable; a deliverable one moves the order to the warehouse that ships there', async () => {
    await product('REGION');
    await adjust('REGION', 'EAST', 3);
    await adjust('REGION', 'WEST', 3);
    const o = await place('REGION', 3);
    expect(o.lines[0].allocations[0]).toMatchObject({ kind: 'PULL', warehouseCode: 'EAST' });

    const mars = await h.gql(UPDATE, { input: { orderId: o.id, expectedVersion: o.version, shipToRegion: 'MARS' } });
    expect(errorCode(mars)).toBe('BAD_USER_INPUT');
    expect(await order(o.id)).toMatchObject({ shipToRegion: 'EU', version: o.version });

    const moved = (await h.ok(UPDATE, { input: { orderId: o.id, expectedVersion: o.version, shipToRegion: 'US' } })).updateOrder;
    expect(moved).toMatchObject({ shipToRegion: 'US', version: o.version + 1 });
    expect(types(moved)).toContain('SHIP_TO_CHANGED');
    const replanned = await waitForOrder(
      o.id,
      (x) => x.status === 'ALLOCATED' && x.lines[0].allocations.some((a: any) => a.warehouseCode === 'WEST'),
      're-planning from WEST',
    );
    expect(replanned.shipments.filter((s: any) => s.status !== 'CANCELLED').map((s: any) => s.warehouseCode)).toEqual(['WEST']);
    const stock = (await h.ok(`{ stockLevels(sku: "REGION") { warehouseCode reserved } }`)).stockLevels;
    expect(stock).toEqual(
      expect.arrayContaining([
        { warehouseCode: 'EAST', reserved: 0 },
        { warehouseCode: 'WEST', reserved: 3 },
      ]),
    );
  });

  it('bad input to an action is BAD_USER_INPUT and changes nothing', async () => {
    await product('BAD');
    const o = await place('BAD', 1);
    const cases = [
      h.gql(NOTE, { id: o.id, v: o.version, text: 'x'.repeat(2001) }),
      h.gql(NOTE, { id: o.id, v: o.version, text: '   ' }),
      h.gql(UPDATE, { input: { orderId: o.id, expectedVersion: o.version } }),
      h.gql(UPDATE, { input: { orderId: o.id, expectedVersion: o.version, maxWarehouses: 0 } }),
    ];
    for (const r of await Promise.all(cases)) expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect((await order(o.id)).version).toBe(o.version);
    expect(errorCode(await h.gql(NOTE, { id: '00000000-0000-0000-0000-000000000000', v: 1, text: 'x' }))).toBe('NOT_FOUND');
  });

  it('re-allocating an order now re-plans it, with an event', async () => {
    await product('REALLOC');
    const o = await place('REALLOC', 2);
    expect(o.status).toBe('BACKORDERED');
    // Stock appears without telling the allocator (as a correction made in the database would).
    await h.orm.em
      .fork()
      .execute(
        `insert into stock_level (id, sku, warehouse_id, on_hand_quantity) select gen_random_uuid(), 'REALLOC', id, 2 from warehouse where code = 'EAST'`,
      );
    const asked = (await h.ok(REALLOCATE, { id: o.id, v: o.version }, h.token('service'))).reallocateOrder;
    expect(asked.version).toBe(o.version + 1);
    expect(types(asked)).toContain('REALLOCATION_REQUESTED');
    await waitForOrder(o.id, (x) => x.status === 'ALLOCATED', 're-allocation');
  });

  it('an order with units on a transfer is not cancelled as a whole, and the error says why', async () => {
    await h.ok(`mutation { upsertWarehouse(input: { code: "HUB", name: "Hub", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "FAR", name: "Far", region: "EU", shippingLanes: [{ region: "EU", days: 9 }],
      transferLanes: [{ toWarehouseCode: "HUB", days: 2, cost: 1 }] }) { id } }`);
    await product('MOVE');
    await adjust('MOVE', 'HUB', 2);
    await adjust('MOVE', 'FAR', 10);
    const o = await place('MOVE', 6, { maxWarehouses: 1 });
    expect(o.lines[0].allocations.map((a: any) => a.kind).sort()).toEqual(['PULL', 'TRANSFER']);
    const refused = await h.gql(CANCEL, { id: o.id, v: o.version });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0].message).toContain('on a transfer');
    const after = await order(o.id);
    expect(after).toMatchObject({ version: o.version, status: o.status });
    expect(after.lines[0].cancelledQuantity).toBe(0);
    // Line by line, what is not on its way can still be cancelled.
    const line = (
      await h.ok(
        `mutation($id: ID!, $v: Int!) { cancelOrderLine(orderId: $id, sku: "MOVE", quantity: 2, expectedVersion: $v) { version lines { cancelledQuantity } } }`,
        { id: o.id, v: o.version },
      )
    ).cancelOrderLine;
    expect(line).toEqual({ version: o.version + 1, lines: [{ cancelledQuantity: 2 }] });
  });

  it('a set-aside allocation request can be retried once', async () => {
    await product('ASIDE');
    await adjust('ASIDE', 'EAST', 1);
    await h.stopWorker();
    const { placeOrder } = await h.ok(`mutation { placeOrder(input: { idempotencyKey: "aside", customerId: "c-1", channel: "web", currency: "EUR",
      shipToRegion: "EU", lines: [{ sku: "ASIDE", quantity: 1, unitPrice: "1" }] }) { id } }`);
    // What five failed batches leave behind (see Allocator.charge).
    await h.orm.em.fork().execute(`update allocation_request set attempts = 5, last_error = 'boom' where order_id = ?`, [placeOrder.id]);
    await h.startWorker();
    const listed = (await h.ok(`{ setAsideAllocationRequests { id orderId attempts lastError } }`, {}, h.token('service')))
      .setAsideAllocationRequests;
    const request = listed.find((r: any) => r.orderId === placeOrder.id);
    expect(request).toMatchObject({ attempts: 5, lastError: 'boom' });
    expect((await order(placeOrder.id)).status).toBe('PENDING');

    const RETRY = `mutation($id: ID!) { retryAllocationRequest(allocationRequestId: $id) { id attempts lastError } }`;
    const [a, b] = await Promise.all([h.gql(RETRY, { id: request.id }, h.token('service')), h.gql(RETRY, { id: request.id }, h.token('service'))]);
    expect([a, b].filter((r) => !r.errors)).toHaveLength(1);
    expect([a, b].map(errorCode).filter(Boolean)).toEqual([expect.stringMatching(/CONFLICT|NOT_FOUND/)]);
    const allocated = await waitForOrder(placeOrder.id, (o) => o.status === 'ALLOCATED', 'the retried request to be allocated');
    expect(types(allocated)).toContain('REALLOCATION_REQUESTED');
    expect(errorCode(await h.gql(RETRY, { id: request.id }))).toMatch(/CONFLICT|NOT_FOUND/);
  });
});

describe('fulfilment-policy defaults and safety stock', () => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    for (const sku of ['PLAIN', 'SET', 'SAFE'])
      await h.ok(`mutation($sku: String!) { upsertProduct(input: { sku: $sku, name: $sku }) { sku } }`, { sku });
  });
  afterAll(async () => h?.stop());

  const placePolicy = async (channel: string, skus: string[], fulfilmentPolicy?: string) => {
    const input = {
      idempotencyKey: `def-${++n}`,
      customerId: 'c-1',
      channel,
      currency: 'EUR',
      shipToRegion: 'EU',
      lines: skus.map((sku) => ({ sku, quantity: 1, unitPrice: '1' })),
      ...(fulfilmentPolicy ? { fulfilmentPolicy } : {}),
    };
    return (await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { fulfilmentPolicy } }`, { input })).placeOrder
      .fulfilmentPolicy;
  };

  it('order > product > channel > the deployment setting', async () => {
    expect(
      (await h.ok(`mutation { setChannelFulfilmentPolicy(channel: "phone", fulfilmentPolicy: SPLIT_ORDER) { channel fulfilmentPolicy } }`))
        .setChannelFulfilmentPolicy,
    ).toEqual({ channel: 'phone', fulfilmentPolicy: 'SPLIT_ORDER' });
    expect(
      (await h.ok(`mutation { setProductFulfilmentPolicy(sku: "SET", fulfilmentPolicy: SHIP_COMPLETE) { sku fulfilmentPolicy } }`))
        .setProductFulfilmentPolicy,
    ).toEqual({ sku: 'SET', fulfilmentPolicy: 'SHIP_COMPLETE' });

    expect(await placePolicy('web', ['PLAIN'])).toBe('SHIP_PARTIAL');
    expect(await placePolicy('phone', ['PLAIN'])).toBe('SPLIT_ORDER');
    expect(await placePolicy('phone', ['PLAIN', 'SET'])).toBe('SHIP_COMPLETE');
    expect(await placePolicy('web', ['SET'])).toBe('SHIP_COMPLETE');
    expect(await placePolicy('phone', ['SET'], 'SHIP_PARTIAL')).toBe('SHIP_PARTIAL');

    await h.ok(`mutation { setProductFulfilmentPolicy(sku: "SET", fulfilmentPolicy: null) { sku } }`);
    expect(await placePolicy('phone', ['SET'])).toBe('SPLIT_ORDER');
    expect((await h.ok(`{ salesChannels { channel fulfilmentPolicy } }`)).salesChannels).toEqual([
      { channel: 'phone', fulfilmentPolicy: 'SPLIT_ORDER' },
    ]);
  });

  it('only ops and admin set defaults; unknown products and channels that are too long are refused', async () => {
    const r = await h.gql(
      `mutation { setChannelFulfilmentPolicy(channel: "web", fulfilmentPolicy: SHIP_COMPLETE) { channel } }`,
      {},
      h.token('service'),
    );
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(
      errorCode(await h.gql(`mutation { setProductFulfilmentPolicy(sku: "NOPE", fulfilmentPolicy: SHIP_COMPLETE) { sku } }`, {}, h.token('ops'))),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await h.gql(`mutation($c: String!) { setChannelFulfilmentPolicy(channel: $c, fulfilmentPolicy: null) { channel } }`, { c: 'x'.repeat(51) }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(`mutation { setSafetyStock(input: { sku: "SAFE", warehouseCode: "EAST", safetyStock: -1 }) { sku } }`))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('the allocator keeps safety stock back from normal orders, and serves the backorder when it is lowered', async () => {
    await h.ok(`mutation { adjustStock(input: { sku: "SAFE", warehouseCode: "EAST", delta: 10, reason: "count" }) { onHand } }`);
    const level = (
      await h.ok(
        `mutation { setSafetyStock(input: { sku: "SAFE", warehouseCode: "EAST", safetyStock: 4 }) { onHand safetyStock available } }`,
        {},
        h.token('ops'),
      )
    ).setSafetyStock;
    expect(level).toEqual({ onHand: 10, safetyStock: 4, available: 6 });
    const { placeOrder } = await h.ok(`mutation { placeOrder(input: { idempotencyKey: "safe-1", customerId: "c-1", channel: "web", currency: "EUR",
      shipToRegion: "EU", lines: [{ sku: "SAFE", quantity: 10, unitPrice: "1" }] }) { id } }`);
    const lineOf = async () =>
      (await h.ok(`query($id: ID!) { order(id: $id) { status lines { allocatedQuantity backorderedQuantity } } }`, { id: placeOrder.id })).order;
    const first = await h.waitFor(async () => {
      const o = await lineOf();
      return o.status !== 'PENDING' ? o : null;
    }, 'allocation');
    expect(first.lines[0]).toEqual({ allocatedQuantity: 6, backorderedQuantity: 4 });

    await h.ok(`mutation { setSafetyStock(input: { sku: "SAFE", warehouseCode: "EAST", safetyStock: 0 }) { available } }`);
    await h.waitFor(async () => (await lineOf()).lines[0].allocatedQuantity === 10, 'the backorder to take the freed units');
  });
});
