import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { MetricsServer, startMetricsServer } from '../../src/observability/metrics-server';
import { Harness } from '../support/harness';
import { metricValue, Sample, scrape } from '../support/prometheus';

const METRICS_TOKEN = 'metrics-scrape-token';
const PLACE = `mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;

describe('/metrics of the API and of the worker, and request ids', () => {
  let h: Harness;
  let workerMetrics: MetricsServer;
  let apiMetricsUrl: string;
  const scrapeApi = () => scrape(apiMetricsUrl, METRICS_TOKEN);
  const scrapeWorker = () => scrape(workerMetrics.url, METRICS_TOKEN);

  beforeAll(async () => {
    h = await Harness.start({ config: { metricsToken: METRICS_TOKEN } });
    apiMetricsUrl = h.api.url.replace(/\/graphql$/, '/metrics');
    // WORKER_METRICS_PORT is 0 (off) in tests; the worker's server is started here on a free port instead.
    workerMetrics = await startMetricsServer(h.worker!.metrics, { port: 0, token: METRICS_TOKEN });
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Mug", leadTimeDays: 10 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "MUG", warehouseCode: "EAST", delta: 5, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => {
    await workerMetrics?.stop();
    await h?.stop();
  });

  it('refuses a scrape without the METRICS_TOKEN, on both', async () => {
    for (const url of [apiMetricsUrl, workerMetrics.url]) {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    }
  });

  it('counts the order, its allocation, its latency and the backlog it leaves', async () => {
    const apiBefore = await scrapeApi();
    const workerBefore = await scrapeWorker();
    const delta = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);

    const placed = (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: 'metrics-1',
          customerId: 'c-1',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'MUG', quantity: 8, unitPrice: 2 }],
        },
      })
    ).placeOrder;
    const allocated = await h.waitFor(async () => {
      const { order } = await h.ok(`query { order(id: "${placed.id}") { status } }`);
      return order.status !== 'PENDING' ? order : null;
    }, 'the order to be allocated');
    expect(allocated.status).toBe('PARTIALLY_ALLOCATED');
    const refused = await h.gql(
      `mutation Settings { updateAllocationSettings(input: { maxWarehousesPerOrder: 2 }) { maxWarehousesPerOrder } }`,
      {},
      h.token('customer', 'c-1'),
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badToken = await h.gql(`{ warehouses { code } }`, {}, 'Bearer not-a-token');
    expect(badToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const api = await scrapeApi();
    expect(delta(api, apiBefore, 'oms_graphql_operations_total', { operation: 'PlaceOrder', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(delta(api, apiBefore, 'oms_graphql_operation_duration_seconds_count', { operation: 'PlaceOrder', type: 'mutation' })).toBe(1);
    expect(delta(api, apiBefore, 'oms_graphql_operation_duration_seconds_sum', { operation: 'PlaceOrder', type: 'mutation' })).toBeGreaterThan(0);
    expect(delta(api, apiBefore, 'oms_graphql_operations_total', { operation: 'anonymous', type: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta(api, apiBefore, 'oms_graphql_operations_total', { operation: 'Settings', type: 'mutation', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta(api, apiBefore, 'oms_graphql_operations_total', { operation: 'unknown', type: 'unknown', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(metricValue(api, 'process_cpu_user_seconds_total', { process: 'api' })).toBeGreaterThan(0);

    await h.waitFor(async () => {
      const worker = await scrapeWorker();
      return (
        delta(worker, workerBefore, 'oms_allocation_lag_seconds_count') >= 1 &&
        delta(worker, workerBefore, 'oms_outbox_messages_delivered_total') >= 1
      );
    }, 'the worker to count the allocation and the deliveries');
    const worker = await scrapeWorker();
    expect(delta(worker, workerBefore, 'oms_allocation_batches_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(worker, 'oms_allocation_batches_total', { outcome: 'failed' })).toBe(0);
    expect(delta(worker, workerBefore, 'oms_allocation_batch_requests_count')).toBeGreaterThanOrEqual(1);
    expect(delta(worker, workerBefore, 'oms_allocation_batch_requests_sum')).toBeGreaterThanOrEqual(1);
    expect(delta(worker, workerBefore, 'oms_allocation_phase_duration_seconds_count', { phase: 'plan' })).toBeGreaterThanOrEqual(1);
    expect(delta(worker, workerBefore, 'oms_allocation_lag_seconds_count')).toBe(1);
    expect(delta(worker, workerBefore, 'oms_allocation_lag_seconds_sum')).toBeGreaterThan(0);
    expect(metricValue(worker, 'oms_allocation_lag_seconds_bucket', { le: '+Inf' })).toBe(metricValue(worker, 'oms_allocation_lag_seconds_count'));

    // The backlog is read from the database at scrape time and cached for 5 s: wait for a fresh reading.
    const backlog = await h.waitFor(async () => {
      const samples = await scrapeApi();
      return metricValue(samples, 'oms_backorder_units_open') === 3 ? samples : null;
    }, 'the backlog to show the backorder');
    expect(metricValue(backlog, 'oms_backlog_query_up')).toBe(1);
    expect(metricValue(backlog, 'oms_backorder_lines_open')).toBe(1);
    expect(metricValue(backlog, 'oms_orders_pending')).toBe(0);
    expect(metricValue(backlog, 'oms_orders_pending_oldest_age_seconds')).toBe(0);
    expect(metricValue(backlog, 'oms_allocation_requests_set_aside')).toBe(0);
  });

  it('shows a PENDING order, undelivered outbox messages and a set-aside request in the backlog', async () => {
    await h.stopWorker();
    try {
      await h.ok(PLACE, {
        input: {
          idempotencyKey: 'metrics-2',
          customerId: 'c-2',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'MUG', quantity: 1, unitPrice: 2 }],
        },
      });
      // What the allocator leaves after a request failed MAX_ALLOCATION_ATTEMPTS times.
      await h.orm.em.fork().execute(`insert into allocation_request (sku, cause, attempts, last_error) values ('MUG', 'test', 5, 'boom')`);
      const backlog = await h.waitFor(async () => {
        const samples = await scrapeApi();
        return metricValue(samples, 'oms_orders_pending') === 1 ? samples : null;
      }, 'the backlog to show the pending order');
      expect(metricValue(backlog, 'oms_orders_pending_oldest_age_seconds')).toBeGreaterThan(0);
      expect(metricValue(backlog, 'oms_outbox_undelivered_messages')).toBeGreaterThanOrEqual(1);
      expect(metricValue(backlog, 'oms_outbox_oldest_undelivered_age_seconds')).toBeGreaterThan(0);
      expect(metricValue(backlog, 'oms_allocation_requests_owed')).toBeGreaterThanOrEqual(1);
      expect(metricValue(backlog, 'oms_allocation_requests_set_aside')).toBe(1);
    } finally {
      await h.orm.em.fork().execute(`delete from allocation_request where cause = 'test'`);
      await h.startWorker();
    }
  });

  it('counts live subscriptions up and down', async () => {
    const gauge = async () => metricValue(await scrapeApi(), 'oms_subscriptions_active');
    expect(await gauge()).toBe(0);
    const feed = await h.subscribe(`subscription { orderEvents { orderId type } }`, {}, topics(h.config.redisPrefix).orderEvents);
    expect(await gauge()).toBe(1);
    await feed.close();
    await h.waitFor(async () => (await gauge()) === 0, 'the gauge to fall back to 0');
  });

  it("returns a request id: the caller's if sane, a new one otherwise", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(h.api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token('admin')}`, ...headers },
        body: JSON.stringify({ query: '{ warehouses { code } }' }),
      });
    expect((await post({ 'x-request-id': 'trace-abc.123' })).headers.get('x-request-id')).toBe('trace-abc.123');
    expect((await post({ 'x-request-id': 'no spaces <please>' })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = (await post({})).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(h.api.url.replace(/\/graphql$/, '/healthz'))).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
