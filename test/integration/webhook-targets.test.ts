import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../src/webhooks/webhook-sender';
import { errorCode, gql, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';
import { WebhookReceiver } from '../support/webhook-receiver';

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { id } }`;

describe('webhook targets where private addresses are not allowed (the production default)', () => {
  let api: TestApi;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    api = await startTestApi({ webhookAllowPrivate: false });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await api?.close();
  });

  it('refuses to register loopback, private and link-local URLs, and registers nothing', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.0.0.8/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.1.20/',
    ]) {
      const response = await gql(
        api.url,
        REGISTER,
        { input: { url, eventTypes: ['*'] } },
        tokenFor('ops', undefined, { secret: api.env.config.authSecret }),
      );
      expect(errorCode(response), url).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.details).toMatchObject({ field: 'input.url' });
    }
    const [{ count }] = await api.orm.em.fork().execute(`select count(*)::int as count from webhook_endpoint`);
    expect(count).toBe(0);
  });

  it('the sender refuses a private address at connection time too, so a name re-pointed later reaches nothing', async () => {
    const literal = await sendWebhook({ url: receiver.url('/x'), headers: {}, body: '{}' }, { timeoutMs: 5_000, allowPrivate: false });
    expect(literal).toMatchObject({ ok: false, httpStatus: null });
    expect(literal.error).toMatch(/private address/);
    const named = await sendWebhook(
      { url: `http://localhost:${receiver.port}/x`, headers: {}, body: '{}' },
      { timeoutMs: 5_000, allowPrivate: false },
    );
    expect(named.ok).toBe(false);
    expect(receiver.received).toEqual([]);
    const allowed = await sendWebhook({ url: receiver.url('/x'), headers: {}, body: '{}' }, { timeoutMs: 5_000, allowPrivate: true });
    expect(allowed).toEqual({ ok: true, httpStatus: 200, error: null });
  });

  it('times an attempt out', async () => {
    receiver.behave('/slow', 'hang');
    const answer = await sendWebhook({ url: receiver.url('/slow'), headers: {}, body: '{}' }, { timeoutMs: 300, allowPrivate: true });
    expect(answer).toEqual({ ok: false, httpStatus: null, error: 'timed out after 300 ms' });
  });
});
