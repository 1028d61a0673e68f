import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderEventMessage, topics } from '../../src/events/topics';
import { publishLikeRelay, subscribe, SubscriptionCollector, tokenFor, waitForSubscribers } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const STOCK_CHANGED = 'subscription ($sku: String!) { stockChanged(sku: $sku) { sku warehouseCode onHand reserved available } }';
const ORDER_UPDATED = `subscription ($orderId: ID!) {
  orderUpdated(orderId: $orderId) { orderId type status at message order { number customerId status lines { sku quantity } } }
}`;
const ORDER_EVENTS = 'subscription ($filter: OrderEventFilter) { orderEvents(filter: $filter) { orderId type status message } }';

describe('subscriptions over graphql-ws, fed through Redis', () => {
  let api: TestApi;
  let redis: Redis;
  let channels: ReturnType<typeof topics>;
  const open: Array<SubscriptionCollector<any>> = [];
  const sql = (query: string, params: unknown[] = []) => api.orm.em.fork().execute<any[]>(query, params);

  /** Subscribes and waits until the API's Redis connection listens on the channel (nobody else does). */
  async function subscribed(query: string, variables: Record<string, unknown>, token: string | undefined, channel: string) {
    const subscription = subscribe(api.wsUrl, query, variables, token);
    open.push(subscription);
    await waitForSubscribers(redis, channel);
    return subscription;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(open.splice(0).map((s) => s.close()));
    // The API unsubscribes from Redis once its last listener on a channel is gone: wait, so the next test starts clean.
    for (const channel of [channels.orderEvents]) {
      for (let i = 0; i < 100 && Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]) > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  async function order(id: string, customerId: string): Promise<void> {
    await sql(`insert into customer (id) values (?) on conflict do nothing`, [customerId]);
    await sql(
      `insert into sales_order (id, customer_id, channel, currency, ship_to_region, fulfilment_policy, status)
       values (?, ?, 'web', 'SEK', 'SE', 'SHIP_PARTIAL', 'BACKORDERED')`,
      [id, customerId],
    );
    await sql(`insert into order_line (id, order_id, line_no, sku, quantity, backordered_quantity) values (gen_random_uuid(), ?, 1, 'SKU-1', 3, 3)`, [
      id,
    ]);
  }

  const event = (orderId: string, customerId: string, type: string, status: string): OrderEventMessage => ({
    id: String(Math.floor(Math.random() * 1e9)),
    orderId,
    customerId,
    type,
    status,
    at: '2026-11-24T10:00:00.000Z',
    message: `${type} for ${orderId}`,
  });

  const ORDER_1 = '00000000-0000-4000-8000-00000000a001';
  const ORDER_2 = '00000000-0000-4000-8000-00000000a002';

  beforeAll(async () => {
    api = await startTestApi();
    redis = new Redis(api.env.config.redisUrl);
    channels = topics(api.env.config.redisPrefix);
    await sql(`insert into warehouse (id, code, name, region) values (gen_random_uuid(), 'STO', 'Stockholm', 'SE')`);
    await sql(`insert into product (sku, name) values ('SKU-1', 'Thing')`);
    await order(ORDER_1, 'c-1');
    await order(ORDER_2, 'c-2');
  });
  afterAll(async () => {
    await closeAll();
    redis?.disconnect();
    await api?.close();
  });

  it('stockChanged: yields the stock level as it is when the relay announces a change', async () => {
    const channel = `${channels.stockChanged}:SKU-1`;
    const subscription = await subscribed(STOCK_CHANGED, { sku: 'SKU-1' }, tokenFor('storefront'), channel);

    await api.services.stock.adjustStock({ sku: 'SKU-1', warehouseCode: 'STO', delta: 7, reason: 'receipt' });
    await publishLikeRelay(redis, channel, { sku: 'SKU-1', warehouseCode: 'STO' });
    expect(await subscription.next()).toEqual({
      data: { stockChanged: { sku: 'SKU-1', warehouseCode: 'STO', onHand: 7, reserved: 0, available: 7 } },
    });

    await sql(`update stock_level set reserved_quantity = 2 where sku = 'SKU-1'`);
    await publishLikeRelay(redis, channel, { sku: 'SKU-1', warehouseCode: 'STO' });
    expect((await subscription.next()).data?.stockChanged).toMatchObject({ onHand: 7, reserved: 2, available: 5 });
    await closeAll();
  });

  it('orderUpdated: a customer follows their own order, with the order read from the database', async () => {
    const channel = `${channels.orderUpdated}:${ORDER_1}`;
    const subscription = await subscribed(ORDER_UPDATED, { orderId: ORDER_1 }, tokenFor('customer', 'c-1'), channel);
    await publishLikeRelay(redis, channel, event(ORDER_1, 'c-1', 'BACKORDERED', 'BACKORDERED'));
    const result = await subscription.next();
    expect(result.errors).toBeUndefined();
    expect(result.data?.orderUpdated).toMatchObject({
      orderId: ORDER_1,
      type: 'BACKORDERED',
      status: 'BACKORDERED',
      at: '2026-11-24T10:00:00.000Z',
      message: `BACKORDERED for ${ORDER_1}`,
      order: { customerId: 'c-1', status: 'BACKORDERED', lines: [{ sku: 'SKU-1', quantity: 3 }] },
    });
    expect(result.data?.orderUpdated.order.number).toMatch(/^SO-\d+$/);

    // The next event reads the order afresh, not from the previous event's identity map.
    await sql(`update sales_order set status = 'ALLOCATED' where id = ?`, [ORDER_1]);
    await publishLikeRelay(redis, channel, event(ORDER_1, 'c-1', 'ALLOCATED', 'ALLOCATED'));
    expect((await subscription.next()).data?.orderUpdated.order.status).toBe('ALLOCATED');
    await closeAll();
  });

  it("orderUpdated: refuses another customer's order (FORBIDDEN) and unknown orders (NOT_FOUND)", async () => {
    const foreign = subscribe(api.wsUrl, ORDER_UPDATED, { orderId: ORDER_2 }, tokenFor('customer', 'c-1'));
    open.push(foreign);
    expect((await foreign.next()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = subscribe(api.wsUrl, ORDER_UPDATED, { orderId: '00000000-0000-4000-8000-00000000ffff' }, tokenFor('service'));
    open.push(unknown);
    expect((await unknown.next()).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const notAnId = subscribe(api.wsUrl, ORDER_UPDATED, { orderId: 'not-an-id' }, tokenFor('service'));
    open.push(notAnId);
    expect((await notAnId.next()).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await closeAll();
  });

  it('orderEvents: a console receives the events its filter names', async () => {
    const subscription = await subscribed(ORDER_EVENTS, { filter: { types: ['SHIPPED', 'CANCELLED'] } }, tokenFor('service'), channels.orderEvents);
    await publishLikeRelay(redis, channels.orderEvents, event(ORDER_1, 'c-1', 'ALLOCATED', 'ALLOCATED'));
    await publishLikeRelay(redis, channels.orderEvents, event(ORDER_2, 'c-2', 'SHIPPED', 'SHIPPED'));
    expect(await subscription.next()).toEqual({
      data: { orderEvents: { orderId: ORDER_2, type: 'SHIPPED', status: 'SHIPPED', message: `SHIPPED for ${ORDER_2}` } },
    });
    expect(subscription.results).toHaveLength(1);
    await closeAll();
  });

  it("orderEvents: a customer receives their own orders' events only, and may not ask for another's", async () => {
    const subscription = await subscribed(ORDER_EVENTS, {}, tokenFor('customer', 'c-1'), channels.orderEvents);
    await publishLikeRelay(redis, channels.orderEvents, event(ORDER_2, 'c-2', 'PLACED', 'PENDING'));
    await publishLikeRelay(redis, channels.orderEvents, event(ORDER_1, 'c-1', 'SHIPPED', 'SHIPPED'));
    expect((await subscription.next()).data?.orderEvents.orderId).toBe(ORDER_1);
    expect(subscription.results).toHaveLength(1);
    await closeAll();

    const foreign = subscribe(api.wsUrl, ORDER_EVENTS, { filter: { customerId: 'c-2' } }, tokenFor('customer', 'c-1'));
    open.push(foreign);
    expect((await foreign.next()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const storefront = subscribe(api.wsUrl, ORDER_EVENTS, {}, tokenFor('storefront'));
    open.push(storefront);
    expect((await storefront.next()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await closeAll();
  });

  it('refuses sockets without a valid token at connection_init (4403) and invalid documents (BAD_USER_INPUT)', async () => {
    const anonymous = subscribe(api.wsUrl, STOCK_CHANGED, { sku: 'SKU-1' });
    open.push(anonymous);
    expect((await anonymous.next()).errors?.[0].message).toMatch(/^socket closed: 4403 Forbidden: No token/);
    const forged = subscribe(api.wsUrl, STOCK_CHANGED, { sku: 'SKU-1' }, tokenFor('admin', undefined, { secret: 'another-secret-entirely-1234' }));
    open.push(forged);
    expect((await forged.next()).errors?.[0].message).toBe('socket closed: 4403 Forbidden: Invalid token signature');
    const invalid = subscribe(api.wsUrl, 'subscription { stockChanged { sku } }', {}, tokenFor('ops'));
    open.push(invalid);
    expect((await invalid.next()).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    await closeAll();
  });
});
