import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { Harness, ORDER_FIELDS } from '../support/harness';

const DAY = 86_400_000;
const isoDay = (value: string | Date) => new Date(value).toISOString().slice(0, 10);

const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const ORDER = `query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const SHIP = `mutation Ship($input: ShipInput!) { shipShipment(input: $input) { id status trackingNumber } }`;
const STOCK = `query Stock($sku: String!) { stockLevels(sku: $sku) { warehouseCode onHand reserved available incoming } }`;

describe('the order-to-backorder journey through the API and the worker', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 4, cost: 5 }] }) { id } }`,
    );
    for (const sku of ['WIDGET', 'SPLIT-ME', 'NO-PO', 'RACE']) {
      await h.ok(`mutation($sku: String!) { upsertProduct(input: { sku: $sku, name: $sku, leadTimeDays: 10, reorderQuantity: 50 }) { sku } }`, {
        sku,
      });
    }
  });
  afterAll(async () => h?.stop());

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

  it('ships 70 now, backorders 30 on the purchase order, and ships them when it arrives, live', async () => {
    await adjust('WIDGET', 'EAST', 70);
    const expectedAt = new Date(Date.now() + 7 * DAY);
    const po = (
      await h.ok(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id number status } }`, {
        input: { supplier: 'Acme', warehouseCode: 'EAST', expectedAt: expectedAt.toISOString(), lines: [{ sku: 'WIDGET', quantity: 50 }] },
      })
    ).createPurchaseOrder;
    const consoleFeed = await h.subscribe(
      `subscription { orderEvents { orderId type status message } }`,
      {},
      topics(h.config.redisPrefix).orderEvents,
    );

    const placed = (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: 'journey-1',
          customerId: 'cust-1',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'WIDGET', quantity: 100, unitPrice: 9.5 }],
        },
      })
    ).placeOrder;
    expect(placed.status).toBe('PENDING');
    const customerFeed = await h.subscribe(
      `subscription($id: ID!) { orderUpdated(orderId: $id) { type status order { status } } }`,
      { id: placed.id },
      `${topics(h.config.redisPrefix).orderUpdated}:${placed.id}`,
      h.token('customer', 'cust-1'),
    );

    const allocated = await waitForOrder(placed.id, (o) => o.status === 'PARTIALLY_ALLOCATED', 'the order to be allocated');
    const [line] = allocated.lines;
    expect(line).toMatchObject({ quantity: 100, allocatedQuantity: 70, backorderedQuantity: 30, shippedQuantity: 0, cancelledQuantity: 0 });
    const pull = line.allocations.find((a: any) => a.kind === 'PULL');
    const wait = line.allocations.find((a: any) => a.kind === 'WAIT');
    expect(pull).toMatchObject({ quantity: 70, warehouseCode: 'EAST', reason: '70 reserved at EAST, 2 days to EU' });
    expect(wait).toMatchObject({ quantity: 30, warehouseCode: 'EAST' });
    expect(wait.reason).toBe(`30 wait for ${po.number}, expected ${isoDay(expectedAt)} at EAST`);
    expect(isoDay(wait.eta)).toBe(isoDay(new Date(expectedAt.getTime() + 2 * DAY)));
    expect(isoDay(line.eta)).toBe(isoDay(wait.eta));
    expect(allocated.shipments).toHaveLength(1);
    expect(allocated.shipments[0]).toMatchObject({ warehouseCode: 'EAST', status: 'READY', lines: [{ sku: 'WIDGET', quantity: 70 }] });
    expect((await h.ok(STOCK, { sku: 'WIDGET' })).stockLevels.find((s: any) => s.warehouseCode === 'EAST')).toEqual({
      warehouseCode: 'EAST',
      onHand: 70,
      reserved: 70,
      available: 0,
      incoming: 50,
    });

    await h.ok(SHIP, { input: { shipmentId: allocated.shipments[0].id, trackingNumber: 'TRACK-1' } });
    const partlyShipped = await order(placed.id);
    expect(partlyShipped.status).toBe('PARTIALLY_SHIPPED');
    expect(partlyShipped.lines[0]).toMatchObject({ allocatedQuantity: 0, backorderedQuantity: 30, shippedQuantity: 70 });
    expect((await h.ok(STOCK, { sku: 'WIDGET' })).stockLevels.find((s: any) => s.warehouseCode === 'EAST')).toMatchObject({ onHand: 0, reserved: 0 });

    // A partial receipt: 30 of the 50 arrive, exactly what the backorder waits for.
    const received = (
      await h.ok(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { status lines { sku quantity receivedQuantity } } }`, {
        input: { purchaseOrderId: po.id, lines: [{ sku: 'WIDGET', quantity: 30 }] },
      })
    ).receivePurchaseOrder;
    expect(received).toEqual({ status: 'PARTIALLY_RECEIVED', lines: [{ sku: 'WIDGET', quantity: 50, receivedQuantity: 30 }] });
    const filled = await waitForOrder(
      placed.id,
      (o) => o.status === 'PARTIALLY_SHIPPED' && o.lines[0].backorderedQuantity === 0,
      'the backorder to be filled',
    );
    expect(filled.lines[0]).toMatchObject({ allocatedQuantity: 30, backorderedQuantity: 0, shippedQuantity: 70 });
    const second = filled.shipments.find((s: any) => s.status === 'READY');
    expect(second).toMatchObject({ warehouseCode: 'EAST', lines: [{ sku: 'WIDGET', quantity: 30 }] });
    await h.ok(SHIP, { input: { shipmentId: second.id, trackingNumber: 'TRACK-2' } });
    const done = await order(placed.id);
    expect(done.status).toBe('SHIPPED');
    expect(done.lines[0]).toMatchObject({ quantity: 100, allocatedQuantity: 0, backorderedQuantity: 0, shippedQuantity: 100 });
    expect(done.events.map((e: any) => e.type)).toEqual([
      'PLACED',
      'ALLOCATED',
      'BACKORDERED',
      'SHIPMENT_CREATED',
      'SHIPPED',
      'ALLOCATED',
      'ETA_CHANGED',
      'SHIPMENT_CREATED',
      'SHIPPED',
    ]);
    expect(done.events.find((e: any) => e.type === 'ETA_CHANGED').message).toBe(
      `ETA of WIDGET moved from ${isoDay(wait.eta)} to ${isoDay(new Date(Date.now() + 2 * DAY))}`,
    );

    // Every step reached both the console and the customer, live.
    await h.waitFor(() => customerFeed.received.length >= 8, 'the customer to receive the events');
    expect(customerFeed.errors).toEqual([]);
    expect(customerFeed.received.map((r) => r.orderUpdated.type)).toEqual([
      'ALLOCATED',
      'BACKORDERED',
      'SHIPMENT_CREATED',
      'SHIPPED',
      'ALLOCATED',
      'ETA_CHANGED',
      'SHIPMENT_CREATED',
      'SHIPPED',
    ]);
    expect(customerFeed.received.at(-1).orderUpdated.status).toBe('SHIPPED');
    await h.waitFor(() => consoleFeed.received.filter((r) => r.orderEvents.orderId === placed.id).length >= 9, 'the console to receive the events');
    expect(consoleFeed.received.filter((r) => r.orderEvents.orderId === placed.id).map((r) => r.orderEvents.type)[0]).toBe('PLACED');
  });

  it('splits an order across warehouses without counting any unit twice: 10 + 15 in stock, 13 ordered', async () => {
    await adjust('SPLIT-ME', 'EAST', 10);
    await adjust('SPLIT-ME', 'WEST', 15);
    const placed = (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: 'split-1',
          customerId: 'cust-2',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          maxWarehouses: 2,
          lines: [{ sku: 'SPLIT-ME', quantity: 13, unitPrice: 1 }],
        },
      })
    ).placeOrder;
    const allocated = await waitForOrder(placed.id, (o) => o.status === 'ALLOCATED', 'the split order to be allocated');
    expect(allocated.lines[0]).toMatchObject({ quantity: 13, allocatedQuantity: 13, backorderedQuantity: 0 });
    const byWarehouse = Object.fromEntries(allocated.shipments.map((s: any) => [s.warehouseCode, s.lines[0].quantity]));
    expect(byWarehouse).toEqual({ EAST: 10, WEST: 3 });
    const stock = (await h.ok(STOCK, { sku: 'SPLIT-ME' })).stockLevels;
    expect(stock.map((s: any) => [s.warehouseCode, s.reserved])).toEqual([
      ['EAST', 10],
      ['WEST', 3],
    ]);
    expect(stock.reduce((sum: number, s: any) => sum + s.reserved, 0)).toBe(13);
  });

  it('backorders against the lead time when no purchase order is open, and raises one reorder suggestion', async () => {
    const place = (key: string) =>
      h.ok(PLACE, {
        input: {
          idempotencyKey: key,
          customerId: 'cust-3',
          channel: 'phone',
          currency: 'SEK',
          shipToRegion: 'EU',
          lines: [{ sku: 'NO-PO', quantity: 5, unitPrice: 100 }],
        },
      });
    const first = (await place('no-po-1')).placeOrder;
    const second = (await place('no-po-2')).placeOrder;
    const waiting = await waitForOrder(first.id, (o) => o.status === 'BACKORDERED', 'the order to be backordered');
    await waitForOrder(second.id, (o) => o.status === 'BACKORDERED', 'the second order to be backordered');
    const [wait] = waiting.lines[0].allocations;
    expect(wait.kind).toBe('WAIT');
    expect(wait.reason).toMatch(/^5 wait for restocking: no purchase order is open; the supplier's lead time is 10 days/);
    const expected = Date.now() + (10 + 2) * DAY;
    expect(Math.abs(new Date(waiting.lines[0].eta).getTime() - expected)).toBeLessThan(60_000);
    const suggestions = (
      await h.ok(
        `{ purchaseOrders(filter: { suggested: true, sku: "NO-PO" }) { totalCount edges { node { status suggested lines { sku quantity } } } } }`,
      )
    ).purchaseOrders;
    expect(suggestions.totalCount).toBe(1);
    expect(suggestions.edges[0].node).toMatchObject({ status: 'DRAFT', suggested: true });
    expect(suggestions.edges[0].node.lines[0].sku).toBe('NO-PO');
    expect(suggestions.edges[0].node.lines[0].quantity).toBeGreaterThanOrEqual(55);
  });

  it('fills open backorders oldest first when a partial receipt cannot cover them all', async () => {
    const expectedAt = new Date(Date.now() + 3 * DAY).toISOString();
    const po = (
      await h.ok(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id } }`, {
        input: { supplier: 'Acme', warehouseCode: 'WEST', expectedAt, lines: [{ sku: 'RACE', quantity: 10 }] },
      })
    ).createPurchaseOrder;
    const ids: string[] = [];
    for (const key of ['old', 'new']) {
      ids.push(
        (
          await h.ok(PLACE, {
            input: {
              idempotencyKey: `fifo-${key}`,
              customerId: `c-${key}`,
              channel: 'web',
              currency: 'EUR',
              shipToRegion: 'EU',
              lines: [{ sku: 'RACE', quantity: 4, unitPrice: 1 }],
            },
          })
        ).placeOrder.id,
      );
      await waitForOrder(ids.at(-1)!, (o) => o.status === 'BACKORDERED', 'a backorder');
    }
    await h.ok(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { status } }`, {
      input: { purchaseOrderId: po.id, lines: [{ sku: 'RACE', quantity: 6 }] },
    });
    const oldest = await waitForOrder(ids[0], (o) => o.status === 'ALLOCATED', 'the oldest backorder to be filled');
    const newer = await waitForOrder(ids[1], (o) => o.status === 'PARTIALLY_ALLOCATED', 'the newer backorder to be partly filled');
    expect(oldest.lines[0]).toMatchObject({ allocatedQuantity: 4, backorderedQuantity: 0 });
    expect(newer.lines[0]).toMatchObject({ allocatedQuantity: 2, backorderedQuantity: 2 });
    expect(newer.lines[0].allocations.find((a: any) => a.kind === 'WAIT').reason).toMatch(/^2 wait for PO-\d+/);
  });

  it('returns the same order for a retried placeOrder and writes nothing new', async () => {
    const input = {
      idempotencyKey: 'retry-me',
      customerId: 'cust-9',
      channel: 'web',
      currency: 'EUR',
      shipToRegion: 'EU',
      lines: [{ sku: 'WIDGET', quantity: 1, unitPrice: 1 }],
    };
    const [a, b] = await Promise.all([h.ok(PLACE, { input }), h.ok(PLACE, { input })]);
    const c = await h.ok(PLACE, { input });
    expect(b.placeOrder.id).toBe(a.placeOrder.id);
    expect(c.placeOrder.id).toBe(a.placeOrder.id);
    const mine = (await h.ok(`{ orders(filter: { customerId: "cust-9" }) { totalCount } }`)).orders;
    expect(mine.totalCount).toBe(1);
    const events = (await order(a.placeOrder.id)).events.filter((e: any) => e.type === 'PLACED');
    expect(events).toHaveLength(1);
  });
});
