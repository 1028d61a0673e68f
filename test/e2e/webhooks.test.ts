import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDispatcher, DispatcherOptions } from '../../src/webhooks/webhook-dispatcher';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '../../src/webhooks/webhook-signature';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

const ENDPOINT_FIELDS = 'id url description eventTypes enabled version secret';
const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { ${ENDPOINT_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { ${ENDPOINT_FIELDS} } }`;
const DELIVERIES = `query($endpointId: ID, $status: WebhookDeliveryStatus, $first: Int) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: $first) {
    totalCount
    edges { node { id endpointId eventId eventType orderId status attempts lastError lastHttpStatus lastAttemptAt nextAttemptAt deliveredAt body } }
  } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number version } }`;

/** Generous: eventual delivery on a loaded machine; no assertion depends on how fast it was. */
const EVENTUALLY = 30_000;

describe('outbound webhooks, against a real HTTP receiver', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  let n = 0;
  const dispatchers: WebhookDispatcher[] = [];

  beforeAll(async () => {
    h = await Harness.start({
      config: { webhookBackoffBaseMs: 20, webhookBackoffMaxMs: 100, webhookMaxAttempts: 4, webhookTimeoutMs: 5_000, webhookPollMs: 50 },
    });
    receiver = await WebhookReceiver.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Mug" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "MUG", warehouseCode: "EAST", delta: 1000, reason: "count" }) { onHand } }`);
  });
  afterEach(async () => {
    for (const d of dispatchers.splice(0)) await d.stop();
    // Each test's endpoints hear only that test's events.
    await h.orm.em.fork().execute(`delete from webhook_endpoint`);
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.stop();
  });

  const register = async (path: string, eventTypes: string[], description = path) =>
    (await h.ok(REGISTER, { input: { url: receiver.url(path), eventTypes, description } })).registerWebhookEndpoint;
  const place = async () =>
    (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: `wh-${++n}`,
          customerId: 'c-1',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'MUG', quantity: 1, unitPrice: '2.50' }],
        },
      })
    ).placeOrder;
  const deliveries = async (endpointId: string, status?: string): Promise<any[]> =>
    (await h.ok(DELIVERIES, { endpointId, status, first: 100 })).webhookDeliveries.edges.map((e: any) => e.node);
  const waitForDeliveries = (endpointId: string, test: (rows: any[]) => boolean, what: string) =>
    h.waitFor<any[]>(
      async () => {
        const rows = await deliveries(endpointId);
        return test(rows) ? rows : null;
      },
      what,
      EVENTUALLY,
    );
  /** A dispatcher of the test's own over the same database (as a second worker process would run it). */
  const dispatcher = (options: Partial<DispatcherOptions> = {}) => {
    const d = new WebhookDispatcher(h.orm, {
      timeoutMs: 30_000,
      maxAttempts: 1000,
      backoff: { baseMs: 20, maxMs: 100 },
      concurrency: 4,
      pollMs: 50,
      allowPrivate: true,
      secretKey: h.config.webhookSecretKey,
      ...options,
    });
    dispatchers.push(d);
    return d;
  };

  it('delivers an event after commit, signed so that a receiver can verify it, and logs it as delivered', async () => {
    const endpoint = await register('/signed', ['PLACED']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const order = await place();
    const [request] = await h.waitFor(() => (receiver.at('/signed').length > 0 ? receiver.at('/signed') : null), 'the webhook', EVENTUALLY);

    const { headers, body } = request;
    expect(
      verifyWebhookSignature({
        secret: endpoint.secret,
        body,
        timestamp: headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: headers[WEBHOOK_HEADERS.signature] as string,
      }),
    ).toBe(true);
    expect(
      verifyWebhookSignature({
        secret: endpoint.secret,
        body: body.replace('PLACED', 'SHIPPED'),
        timestamp: headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: headers[WEBHOOK_HEADERS.signature] as string,
      }),
    ).toBe(false);
    expect(headers['content-type']).toBe('application/json');
    const payload = JSON.parse(body);
    expect(Object.keys(payload)).toEqual(['id', 'type', 'occurredAt', 'data']);
    expect(payload).toMatchObject({ type: 'PLACED', data: { orderId: order.id, orderNumber: order.number, customerId: 'c-1' } });
    expect(new Date(payload.occurredAt).toISOString()).toBe(payload.occurredAt);
    expect(headers[WEBHOOK_HEADERS.eventId]).toBe(payload.id);
    expect(headers[WEBHOOK_HEADERS.eventType]).toBe('PLACED');

    const [logged] = await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'DELIVERED', 'the log to say delivered');
    expect(logged).toMatchObject({
      eventId: payload.id,
      eventType: 'PLACED',
      orderId: order.id,
      attempts: 1,
      lastHttpStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(logged.deliveredAt).not.toBeNull();
    expect(JSON.parse(logged.body)).toEqual(payload);
    expect(headers[WEBHOOK_HEADERS.deliveryId]).toBe(logged.id);
    // A relay that delivers its outbox again (it crashed before recording that it had) owes nothing twice.
    await h.orm.em.fork().execute(`update outbox_message set delivered_at = null where kind = 'order-event'`);
    h.worker!.relay.kick();
    await h.waitFor(
      async () => {
        const [{ owed }] = await h.orm.em.fork().execute(`select count(*)::int as owed from outbox_message where delivered_at is null`);
        return owed === 0;
      },
      'the replay',
      EVENTUALLY,
    );
    const [{ rows }] = await h.orm.em.fork().execute(`select count(*)::int as rows from webhook_delivery where endpoint_id = ?`, [endpoint.id]);
    expect(rows).toBe(1);
    // The secret was shown once: the list never shows it.
    const { webhookEndpoints } = await h.ok(`{ webhookEndpoints { id secret } }`);
    expect(webhookEndpoints.find((e: any) => e.id === endpoint.id)).toEqual({ id: endpoint.id, secret: null });
  });

  it('sends an endpoint only the event types it asked for, and a disabled endpoint nothing', async () => {
    const notes = await register('/notes', ['NOTE_ADDED']);
    const disabled = await register('/disabled', ['*']);
    const everything = await register('/everything', ['*']);
    const off = (await h.ok(UPDATE, { input: { id: disabled.id, enabled: false, expectedVersion: disabled.version } })).updateWebhookEndpoint;
    expect(off).toMatchObject({ enabled: false, version: disabled.version + 1, secret: null });

    const order = await place();
    await h.waitFor(
      async () => (await h.ok(`query($id: ID!) { order(id: $id) { status } }`, { id: order.id })).order.status !== 'PENDING',
      'allocation',
      EVENTUALLY,
    );
    const { order: current } = await h.ok(`query($id: ID!) { order(id: $id) { version } }`, { id: order.id });
    await h.ok(`mutation($id: ID!, $v: Int!) { addOrderNote(orderId: $id, expectedVersion: $v, text: "call first") { id } }`, {
      id: order.id,
      v: current.version,
    });

    // The catch-all endpoint hears the note; the others' deliveries were owed in the same relay transaction.
    const all = await waitForDeliveries(
      everything.id,
      (rows) => rows.some((r) => r.eventType === 'NOTE_ADDED' && r.status === 'DELIVERED'),
      'the note',
    );
    expect(all.map((r) => r.eventType)).toEqual(expect.arrayContaining(['PLACED', 'ALLOCATED', 'NOTE_ADDED']));
    const noted = await waitForDeliveries(notes.id, (rows) => rows.length > 0 && rows.every((r) => r.status === 'DELIVERED'), 'the note endpoint');
    expect(noted.map((r) => r.eventType)).toEqual(['NOTE_ADDED']);
    expect(receiver.at('/notes').map((r) => JSON.parse(r.body).type)).toEqual(['NOTE_ADDED']);
    expect(await deliveries(disabled.id)).toEqual([]);
    expect(receiver.at('/disabled')).toEqual([]);

    // Changing the types takes effect for the next events.
    const widened = (await h.ok(UPDATE, { input: { id: notes.id, eventTypes: ['PLACED', 'NOTE_ADDED', 'PLACED'] } })).updateWebhookEndpoint;
    expect(widened.eventTypes).toEqual(['NOTE_ADDED', 'PLACED']);
    const stale = await h.gql(UPDATE, { input: { id: notes.id, enabled: false, expectedVersion: notes.version } });
    expect(errorCode(stale)).toBe('CONFLICT');
    expect((await h.ok(`{ webhookEndpoints { id enabled } }`)).webhookEndpoints.find((e: any) => e.id === notes.id).enabled).toBe(true);
  });

  it('retries a receiver answering 500 with backoff, logs the last error, fails after the last attempt, and retries on request', async () => {
    receiver.behave('/fails', { status: 500, text: 'ledger locked' });
    const endpoint = await register('/fails', ['PLACED']);
    await place();
    const [failed] = await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'FAILED', 'the delivery to fail');
    expect(failed).toMatchObject({ attempts: 4, lastHttpStatus: 500, lastError: 'HTTP 500: ledger locked', nextAttemptAt: null, deliveredAt: null });
    const attempts = receiver.at('/fails');
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.headers[WEBHOOK_HEADERS.eventId]))).toEqual(new Set([failed.eventId]));
    // The body is the same on every attempt; each attempt is signed afresh.
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(
      attempts.every((a) =>
        verifyWebhookSignature({
          secret: endpoint.secret,
          body: a.body,
          timestamp: a.headers[WEBHOOK_HEADERS.timestamp] as string,
          signature: a.headers[WEBHOOK_HEADERS.signature] as string,
        }),
      ),
    ).toBe(true);
    const times = attempts.map((a) => Number(a.headers[WEBHOOK_HEADERS.timestamp]));
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    receiver.behave('/fails', { status: 204 });
    const retried = (await h.ok(`mutation($id: ID!) { retryWebhookDelivery(deliveryId: $id) { id status attempts lastError } }`, { id: failed.id }))
      .retryWebhookDelivery;
    expect(retried).toMatchObject({ id: failed.id, status: 'PENDING', attempts: 0, lastError: 'HTTP 500: ledger locked' });
    const [delivered] = await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'DELIVERED', 'the retried delivery');
    expect(delivered).toMatchObject({ attempts: 1, lastHttpStatus: 204 });
    expect(receiver.acceptedEventIds('/fails')).toEqual([failed.eventId]);
    const again = await h.gql(`mutation($id: ID!) { retryWebhookDelivery(deliveryId: $id) { id } }`, { id: failed.id });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('owes deliveries in the database while the receiver is down, and delivers each exactly once when it is back', async () => {
    await h.worker!.webhooks.stop();
    const down = await WebhookReceiver.start();
    const port = down.port;
    await down.close();
    const endpoint = (await h.ok(REGISTER, { input: { url: `http://127.0.0.1:${port}/later`, eventTypes: ['PLACED'] } })).registerWebhookEndpoint;
    await place();
    await place();
    dispatcher().start();
    const refused = await waitForDeliveries(
      endpoint.id,
      (rows) => rows.length === 2 && rows.every((r) => r.attempts >= 2),
      'attempts against a closed port',
    );
    expect(refused.every((r) => r.status === 'PENDING' && r.lastHttpStatus === null && /ECONNREFUSED/.test(r.lastError))).toBe(true);

    const back = await WebhookReceiver.start(port);
    try {
      const delivered = await waitForDeliveries(
        endpoint.id,
        (rows) => rows.every((r) => r.status === 'DELIVERED'),
        'delivery once the receiver is back',
      );
      expect(back.acceptedEventIds('/later').sort()).toEqual(delivered.map((r) => r.eventId).sort());
      expect(back.received).toHaveLength(2);
    } finally {
      await back.close();
    }
  });

  it('two dispatchers on one database send each delivery once', async () => {
    await h.worker!.webhooks.stop(); // only this test's dispatchers send
    const endpoint = await register('/shared', ['PLACED']);
    for (let i = 0; i < 30; i++) await place();
    await h.waitFor(async () => (await deliveries(endpoint.id, 'PENDING')).length === 30, 'thirty owed deliveries', EVENTUALLY);
    dispatcher({ concurrency: 3 }).start();
    dispatcher({ concurrency: 3 }).start();
    const delivered = await waitForDeliveries(
      endpoint.id,
      (rows) => rows.length === 30 && rows.every((r) => r.status === 'DELIVERED'),
      'thirty deliveries',
    );
    expect(delivered.every((r) => r.attempts === 1)).toBe(true);
    const sent = receiver.at('/shared').map((r) => r.headers[WEBHOOK_HEADERS.eventId]);
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
  });

  it('a worker that dies mid-delivery neither loses nor doubles it: another delivers it once its claim lapses', async () => {
    await h.worker!.webhooks.stop();
    receiver.behave('/crash', 'hang');
    const endpoint = await register('/crash', ['PLACED']);
    await place();
    const first = dispatcher({ timeoutMs: 60_000, leaseMs: 1_000 });
    first.start();
    await h.waitFor(() => receiver.at('/crash').length === 1, 'the first attempt to reach the receiver', EVENTUALLY);
    await first.abandon();
    receiver.behave('/crash', { status: 200 });
    dispatcher().start();
    const [delivered] = await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'DELIVERED', 'the second worker to deliver it');
    expect(delivered.attempts).toBe(2);
    const requests = receiver.at('/crash');
    expect(requests).toHaveLength(2);
    expect(requests[0].answered).toBeNull();
    expect(receiver.acceptedEventIds('/crash')).toEqual([delivered.eventId]);
  });

  it('a worker that dies during the last allowed attempt leaves the delivery FAILED, not owed for ever nor sent again', async () => {
    await h.worker!.webhooks.stop();
    receiver.behave('/last', 'hang');
    const endpoint = await register('/last', ['PLACED']);
    await place();
    const first = dispatcher({ maxAttempts: 1, timeoutMs: 60_000, leaseMs: 1_000 });
    first.start();
    await h.waitFor(() => receiver.at('/last').length === 1, 'the only attempt to reach the receiver', EVENTUALLY);
    await first.abandon();
    dispatcher({ maxAttempts: 1 }).start();
    const [failed] = await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'FAILED', 'the lapsed attempt to be given up');
    expect(failed).toMatchObject({ attempts: 1, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/never reported back/);
    expect(receiver.at('/last')).toHaveLength(1);
  });

  it('rotates a secret: later attempts are signed with the new one only', async () => {
    await h.worker!.webhooks.stop();
    receiver.behave('/rotated', { status: 503 });
    const endpoint = await register('/rotated', ['PLACED']);
    await place();
    const before = dispatcher();
    before.start();
    await h.waitFor(() => receiver.at('/rotated').length > 0, 'a first attempt', EVENTUALLY);
    await before.stop(); // no attempt signed before the rotation is still on its way
    const rotated = (await h.ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { id version secret } }`, { id: endpoint.id }))
      .rotateWebhookSecret;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    receiver.behave('/rotated', { status: 200 });
    dispatcher().start();
    await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'DELIVERED', 'delivery after rotation');
    const last = receiver.at('/rotated').at(-1)!;
    const check = (secret: string) =>
      verifyWebhookSignature({
        secret,
        body: last.body,
        timestamp: last.headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: last.headers[WEBHOOK_HEADERS.signature] as string,
      });
    expect(check(rotated.secret)).toBe(true);
    expect(check(endpoint.secret)).toBe(false);
  });

  it('deletes an endpoint with its log', async () => {
    await h.worker!.webhooks.stop();
    const endpoint = await register('/gone', ['PLACED']);
    await place();
    dispatcher().start();
    await waitForDeliveries(endpoint.id, (rows) => rows[0]?.status === 'DELIVERED', 'a delivery');
    expect((await h.ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id })).deleteWebhookEndpoint).toBe(true);
    expect(await deliveries(endpoint.id)).toEqual([]);
    expect((await h.ok(`{ webhookEndpoints { id } }`)).webhookEndpoints.map((e: any) => e.id)).not.toContain(endpoint.id);
    expect(errorCode(await h.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id }))).toBe('NOT_FOUND');
  });

  it('refuses bad URLs and event types with BAD_USER_INPUT, other roles with FORBIDDEN, and creates nothing', async () => {
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ url: 'ftp://erp.example.com/hook', eventTypes: ['PLACED'] }, 'input.url'],
      [{ url: 'not a url', eventTypes: ['PLACED'] }, 'input.url'],
      [{ url: 'https://user:pw@erp.example.com/hook', eventTypes: ['PLACED'] }, 'input.url'],
      [{ url: 'javascript:alert(1)', eventTypes: ['PLACED'] }, 'input.url'],
      [{ url: 'https://erp.example.com/hook', eventTypes: ['PLACED', 'INVOICE_NOT_A_TYPE'] }, 'input.eventTypes'],
      [{ url: 'https://erp.example.com/hook', eventTypes: ['placed'] }, 'input.eventTypes'],
      [{ url: 'https://erp.example.com/hook', eventTypes: [] }, 'input.eventTypes'],
    ];
    for (const [input, field] of refusals) {
      const response = await h.gql(REGISTER, { input });
      expect(errorCode(response), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.details).toMatchObject({ field });
    }
    const some = await register('/kept', ['PLACED']);
    expect(errorCode(await h.gql(UPDATE, { input: { id: some.id, url: 'gopher://x' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(UPDATE, { input: { id: some.id, eventTypes: ['NOPE'] } }))).toBe('BAD_USER_INPUT');
    for (const role of ['service', 'storefront', 'customer'] as const) {
      const response = await h.gql(
        REGISTER,
        { input: { url: 'https://erp.example.com/hook', eventTypes: ['*'] } },
        h.token(role, role === 'customer' ? 'c-1' : undefined),
      );
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(errorCode(await h.gql(`{ webhookDeliveries { totalCount } }`, {}, h.token(role, role === 'customer' ? 'c-1' : undefined)))).toBe(
        'FORBIDDEN',
      );
    }
    const ops = (await h.ok(REGISTER, { input: { url: 'https://erp.example.com/hook', eventTypes: ['*', 'PLACED'] } }, h.token('ops')))
      .registerWebhookEndpoint;
    expect(ops.eventTypes).toEqual(['*']);
    const after = (await h.ok(`{ webhookEndpoints { id version } }`)).webhookEndpoints;
    expect(after).toHaveLength(2);
    expect(after.find((e: any) => e.id === some.id).version).toBe(some.version);
  });
});
