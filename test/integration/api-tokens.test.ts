import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token';
import { topics } from '../../src/events/topics';
import { errorCode, gql, gqlData, subscribe, SubscriptionCollector, tokenFor, waitForSubscribers } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';
import { signTestToken } from '../support/tokens';

const ISSUER = 'https://auth.test.example';
const AUDIENCE = 'oms-test';
const WAREHOUSES = '{ warehouses { code } }';
const UPSERT_WAREHOUSE = 'mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }';
const STOCK_CHANGED = 'subscription ($sku: String!) { stockChanged(sku: $sku) { sku onHand } }';

describe('tokens over HTTP and websockets (AUTH_ISSUER and AUTH_AUDIENCE set)', () => {
  let api: TestApi;
  let redis: Redis;
  const open: Array<SubscriptionCollector<any>> = [];
  const now = () => Math.floor(Date.now() / 1000);
  const admin = () => tokenFor('admin', undefined, { issuer: ISSUER, audience: AUDIENCE });
  /** An admin token with these claims changed, signed with the server's secret. */
  const forge = (claims: Record<string, unknown>) =>
    signTestToken({ sub: 'forger', role: 'admin', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...claims }, api.env.config.authSecret);

  const hostile = (): Array<[string, string, string]> => [
    ['no exp', forge({ exp: undefined }), 'Token has no exp claim'],
    ['a string exp in the past', forge({ exp: String(now() - 3600) }), 'Token exp claim must be a number'],
    ['a string exp in the future', forge({ exp: String(now() + 3600) }), 'Token exp claim must be a number'],
    ['expired a second ago', forge({ exp: now() - 1 }), 'Token expired'],
    ['nbf in 2100', forge({ nbf: Date.UTC(2100, 0, 1) / 1000, exp: Date.UTC(2100, 0, 2) / 1000 }), 'Token not valid yet (nbf)'],
    ['iat in the future', forge({ iat: now() + CLOCK_TOLERANCE_SECONDS + 60 }), 'Token issued in the future (iat)'],
    ['no iss', forge({ iss: undefined }), 'Token has no iss claim'],
    ['another issuer', forge({ iss: 'https://evil.example' }), 'Token iss claim not accepted'],
    ['another audience', forge({ aud: 'another-api' }), 'Token aud claim not accepted'],
    [
      'a token without iss and aud (signed for another deployment)',
      tokenFor('admin', undefined, { issuer: '', audience: '' }),
      'Token has no iss claim',
    ],
    ['a customer token without its customer', forge({ role: 'customer' }), 'A customer token must name its customer'],
    [
      'another secret',
      tokenFor('admin', undefined, { issuer: ISSUER, audience: AUDIENCE, secret: 'another-secret-of-enough-length' }),
      'Invalid token signature',
    ],
  ];

  beforeAll(async () => {
    api = await startTestApi({ authIssuer: ISSUER, authAudience: AUDIENCE });
    redis = new Redis(api.env.config.redisUrl);
  });
  afterAll(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    redis?.disconnect();
    await api?.close();
  });

  describe('HTTP', () => {
    it('answers a token that carries the configured iss and aud', async () => {
      expect((await gqlData(api.url, WAREHOUSES, {}, admin())).warehouses).toEqual([]);
    });

    it('refuses each hostile token with 401 UNAUTHENTICATED naming the reason, and writes nothing', async () => {
      for (const [what, token, message] of hostile()) {
        const read = await gql(api.url, WAREHOUSES, {}, token);
        expect(read.status, what).toBe(401);
        expect(errorCode(read), what).toBe('UNAUTHENTICATED');
        expect(read.errors?.[0].message, what).toBe(message);
        const write = await gql(api.url, UPSERT_WAREHOUSE, { input: { code: 'NOPE', name: 'Nope', region: 'EU' } }, token);
        expect(errorCode(write), what).toBe('UNAUTHENTICATED');
      }
      expect((await gqlData(api.url, WAREHOUSES, {}, admin())).warehouses).toEqual([]);
    });
  });

  describe('websockets', () => {
    const channel = () => `${topics(api.env.config.redisPrefix).stockChanged}:SKU-WS`;
    const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel())) as [string, number])[1]);
    const follow = (token?: string) => {
      const subscription = subscribe(api.wsUrl, STOCK_CHANGED, { sku: 'SKU-WS' }, token);
      open.push(subscription);
      return subscription;
    };

    it('refuses a socket without a token at connection_init: 4403, as every request needs a token', async () => {
      expect((await follow().next()).errors?.[0].message).toBe(
        'socket closed: 4403 Forbidden: No token: pass connectionParams.authorization = "Bearer <token>"',
      );
      expect((await follow('   ').next()).errors?.[0].message).toMatch(/^socket closed: 4403 Forbidden: No token/);
    });

    it('refuses each hostile token at connection_init: 4403 naming the reason', async () => {
      for (const [what, token, message] of hostile()) {
        expect((await follow(token).next()).errors?.[0].message, what).toBe(`socket closed: 4403 Forbidden: ${message}`);
      }
      expect(await subscribers()).toBe(0);
    });

    it('closes a socket with 4403 when its token expires while it is connected, and unsubscribes it', async () => {
      const ttlSeconds = 2;
      const subscription = follow(tokenFor('ops', undefined, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds }));
      await waitForSubscribers(redis, channel());
      const subscribedAt = Date.now();
      const closed = await subscription.next((ttlSeconds + 3) * 1000);
      expect(closed.errors?.[0].message).toBe('socket closed: 4403 Forbidden: Token expired');
      // The token's exp is whole seconds after its iat (rounded down), so it lived between 1 and 2 seconds.
      expect(Date.now() - subscribedAt).toBeLessThan(ttlSeconds * 1000 + 500);
      for (let i = 0; i < 100 && (await subscribers()) > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await subscribers()).toBe(0);
    });

    it('keeps a socket whose token is still valid open', async () => {
      const subscription = follow(tokenFor('ops', undefined, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3600 }));
      await waitForSubscribers(redis, channel());
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(subscription.results).toEqual([]);
      expect(await subscribers()).toBe(1);
      await subscription.close();
    });
  });
});
