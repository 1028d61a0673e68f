import { Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, createApiServer } from '../../src/api/server';
import { createServices } from '../../src/app/services';
import type { AppConfig } from '../../src/config/config';
import { topics } from '../../src/events/topics';
import { gql, GqlError, subscribe, tokenFor, waitForSubscribers } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';
import { factories } from '../support/factories';
import { ordersEventsOrder } from '../support/hostile-queries';

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('admin')}`, ...headers }, body });

/** One graphql-ws connection that can hold several operations (api-client's subscribe opens one socket each). */
function socket(wsUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

interface Operation {
  results: Array<{ data?: any; errors?: GqlError[] }>;
  first(timeoutMs?: number): Promise<{ data?: any; errors?: GqlError[] }>;
  stop(): void;
}

function operation(client: Client, query: string, variables: Record<string, unknown> = {}): Operation {
  const results: Operation['results'] = [];
  const stop = client.subscribe(
    { query, variables },
    {
      next: (result) => void results.push(result as any),
      error: (error) => void results.push({ errors: Array.isArray(error) ? error : [{ message: String((error as any)?.reason ?? error) }] }),
      complete: () => undefined,
    },
  );
  return {
    results,
    stop,
    async first(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length === 0) {
        if (Date.now() > deadline) throw new Error('no result');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return results[0];
    },
  };
}

async function startServer(api: TestApi, overrides: Partial<AppConfig>): Promise<ApiServer> {
  const config = { ...api.env.config, ...overrides };
  const server = createApiServer({ config, orm: api.orm, services: createServices(api.orm, config) });
  await server.start();
  return server;
}

describe('limits at the API edge', () => {
  let api: TestApi;
  let redis: Redis;
  beforeAll(async () => {
    api = await startTestApi();
    redis = new Redis(api.env.config.redisUrl);
    const make = factories(api.orm);
    await make.warehouse('STO', 'SE');
    for (const sku of ['A', 'B', 'C', 'D', 'E', 'F']) {
      await make.product(sku);
      await make.stock(sku, 'STO', 5);
    }
  });
  afterAll(async () => {
    redis?.disconnect();
    await api?.close();
  });

  describe('query depth, cost, aliases and tokens over HTTP', () => {
    it("refuses the issue's 401-character query (orders -> events -> order, 12 deep) at once, naming the depth limit", async () => {
      const query = ordersEventsOrder(12);
      const started = Date.now();
      const response = await gql(api.url, query, {}, tokenFor('customer', 'c-1'));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      const depth = response.errors?.find((e) => e.extensions?.reason === 'MAX_QUERY_DEPTH');
      expect(depth?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_DEPTH', limit: 10 });
      expect(depth?.message).toMatch(/depth limit of 10 exceeded, found 28 \(maxQueryDepth\)/);
    });

    it("refuses the customer's deep query of the issue: 6 levels by depth, 3 levels (depth 10) by cost", async () => {
      const six = await gql(api.url, ordersEventsOrder(6), {}, tokenFor('customer', 'c-1'));
      expect(six.errors?.map((e) => e.extensions?.reason)).toContain('MAX_QUERY_DEPTH');
      const three = await gql(api.url, ordersEventsOrder(3), {}, tokenFor('customer', 'c-1'));
      expect(three.errors?.map((e) => e.extensions?.reason)).toEqual(['MAX_QUERY_COST']);
      expect((await gql(api.url, ordersEventsOrder(2), {}, tokenFor('customer', 'c-1'))).errors).toBeUndefined();
    });

    it('refuses a page of 100 orders whose events nest three lists deep by cost, within the depth limit', async () => {
      const response = await gql(api.url, ordersEventsOrder(3, '100'), {}, tokenFor('admin'));
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_COST', limit: 20_000 });
      expect(response.errors?.[0].message).toMatch(/limit of 20000 \(maxQueryCost\)/);
      // The same shape one list shallower is answered.
      expect((await gql(api.url, ordersEventsOrder(1, '100'), {}, tokenFor('admin'))).errors).toBeUndefined();
    });

    it('refuses more than maxQueryAliases aliases', async () => {
      const query = `{ ${Array.from({ length: 31 }, (_, i) => `w${i}: warehouses { code }`).join(' ')} }`;
      const response = await gql(api.url, query, {}, tokenFor('ops'));
      expect(response.status).toBe(400);
      expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_ALIASES', limit: 30 });
    });

    it('refuses a document of more than maxQueryTokens tokens before parsing it', async () => {
      const response = await gql(api.url, `{ warehouses { ${'code '.repeat(5000)} } }`, {}, tokenFor('ops'));
      expect(response.status).toBe(400);
      expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_TOKENS', limit: 5000 });
      expect(response.errors?.[0].message).toMatch(/5000 tokens.*maxQueryTokens/);
      // GET requests too (Apollo answers GET when the request says it is not a simple cross-site one).
      const query = encodeURIComponent(`{ warehouses { code } }${'!'.repeat(5000)}`); // short enough for a URL
      const get = await fetch(`${api.url}?query=${query}`, {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${tokenFor('ops')}` },
      });
      expect(get.status).toBe(400);
      expect(((await get.json()) as { errors: GqlError[] }).errors[0].extensions?.reason).toBe('MAX_QUERY_TOKENS');
    });
  });

  describe('request shape', () => {
    it('refuses batched requests (a JSON array body)', async () => {
      const body = JSON.stringify([{ query: '{ warehouses { code } }' }, { query: '{ warehouses { name } }' }]);
      const response = await post(api.url, body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as { errors: GqlError[] };
      expect(json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'BATCHING_DISABLED' });
    });

    it('refuses a body over maxRequestBytes with 413, naming the limit', async () => {
      const limit = api.env.config.maxRequestBytes;
      const response = await post(api.url, JSON.stringify({ query: '{ warehouses { code } }', variables: { pad: 'x'.repeat(limit) } }));
      expect(response.status).toBe(413);
      const json = (await response.json()) as { errors: GqlError[] };
      expect(json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_REQUEST_BYTES', limit });
      expect(json.errors[0].message).toContain(`${limit} bytes`);
      // Just under the limit is read.
      const fits = await post(api.url, JSON.stringify({ query: '{ warehouses { code } }', variables: { pad: 'x'.repeat(limit - 200) } }));
      expect(fits.status).toBe(200);
    });
  });

  describe('page size', () => {
    const lists = {
      orders: '{ orders(first: $n) { totalCount } }',
      backorders: '{ backorders(first: $n) { totalCount } }',
      purchaseOrders: '{ purchaseOrders(first: $n) { totalCount } }',
      transfers: '{ transfers(first: $n) { totalCount } }',
    };
    const ask = (url: string, query: string, first: number) => gql(url, `query($n: Int) ${query}`, { n: first }, tokenFor('admin'));

    it('caps every paged list at maxPageSize (default 100), naming the cap', async () => {
      for (const query of Object.values(lists)) {
        expect((await ask(api.url, query, 100)).errors).toBeUndefined();
        const refused = await ask(api.url, query, 101);
        expect(refused.errors?.[0].extensions).toEqual({
          code: 'BAD_USER_INPUT',
          details: { field: 'first', reason: 'MAX_PAGE_SIZE', limit: 100 },
        });
        expect(refused.errors?.[0].message).toMatch(/0 to 100.*maxPageSize/);
      }
    });

    it('follows config.maxPageSize', async () => {
      const server = await startServer(api, { maxPageSize: 5 });
      try {
        for (const query of Object.values(lists)) {
          expect((await ask(server.url, query, 5)).errors).toBeUndefined();
          expect((await ask(server.url, query, 6)).errors?.[0].extensions?.details).toMatchObject({ limit: 5 });
        }
        // No `first` takes the default page of 20, but never more than the cap.
        expect((await gql(server.url, '{ orders { totalCount } }', {}, tokenFor('admin'))).errors).toBeUndefined();
      } finally {
        await server.stop();
      }
    });
  });

  describe('websockets', () => {
    it('apply the same depth, cost, alias and token limits to operations over graphql-ws', async () => {
      const client = socket(api.wsUrl, tokenFor('admin'));
      try {
        const depth = await operation(client, ordersEventsOrder(12)).first();
        expect(depth.errors?.map((e) => e.extensions?.reason)).toContain('MAX_QUERY_DEPTH');
        expect(depth.errors?.find((e) => e.extensions?.reason === 'MAX_QUERY_DEPTH')?.extensions).toEqual({
          code: 'BAD_USER_INPUT',
          reason: 'MAX_QUERY_DEPTH',
          limit: 10,
        });
        const cost = await operation(client, ordersEventsOrder(3, '100')).first();
        expect(cost.errors?.map((e) => e.extensions?.reason)).toEqual(['MAX_QUERY_COST']);
        const aliases = await operation(client, `{ ${Array.from({ length: 31 }, (_, i) => `w${i}: warehouses { code }`).join(' ')} }`).first();
        expect(aliases.errors?.map((e) => e.extensions?.reason)).toEqual(['MAX_QUERY_ALIASES']);
        const tokens = await operation(client, `{ warehouses { ${'code '.repeat(5000)} } }`).first();
        expect(tokens.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_TOKENS', limit: 5000 });
        // A legitimate query still runs on the same socket.
        expect(await operation(client, '{ warehouses { code } }').first()).toEqual({ data: { warehouses: [{ code: 'STO' }] } });
      } finally {
        await client.dispose();
      }
    });

    it('run nothing without a valid token: the socket closes at connection_init, before introspection, queries or subscriptions', async () => {
      for (const token of [undefined, tokenFor('admin', undefined, { secret: 'another-secret-entirely-1234' })]) {
        const client = socket(api.wsUrl, token);
        try {
          for (const query of [
            '{ __schema { queryType { name } } }',
            '{ __typename }',
            '{ warehouses { code } }',
            'subscription { stockChanged(sku: "A") { sku } }',
          ]) {
            const result = await operation(client, query).first();
            expect(result.data).toBeUndefined();
            expect(result.errors?.[0].message).toMatch(/^Forbidden: (No token|Invalid token)/);
          }
        } finally {
          await client.dispose();
        }
      }
    });
  });

  describe('subscription counts', () => {
    const STOCK = 'subscription ($sku: String!) { stockChanged(sku: $sku) { sku onHand } }';
    let server: ApiServer;
    const channel = (sku: string) => `${topics(api.env.config.redisPrefix).stockChanged}:${sku}`;
    const subscribers = async (sku: string) => Number(((await redis.pubsub('NUMSUB', channel(sku))) as [string, number])[1]);
    async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    beforeAll(async () => {
      server = await startServer(api, { maxSubscriptionsPerSocket: 2, maxSubscriptionsPerSubject: 3 });
      // A SUBSCRIBE sent while the server's fresh subscriber connection still runs ioredis' ready check breaks that
      // connection ("Connection in subscriber mode"): let the server's Redis connections become ready first.
      await until(async () => (await fetch(`http://127.0.0.1:${server.port}/readyz`)).status === 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('refuses the subscription over maxSubscriptionsPerSocket; the others keep working; completing one frees its slot', async () => {
      const client = socket(server.wsUrl, tokenFor('ops'));
      try {
        const a = operation(client, STOCK, { sku: 'A' });
        const b = operation(client, STOCK, { sku: 'B' });
        await waitForSubscribers(redis, channel('A'));
        await waitForSubscribers(redis, channel('B'));
        const c = operation(client, STOCK, { sku: 'C' });
        expect((await c.first()).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_SUBSCRIPTIONS_PER_SOCKET', limit: 2 });
        expect((await c.first()).errors?.[0].message).toMatch(/maxSubscriptionsPerSocket is 2/);

        await redis.publish(channel('B'), JSON.stringify({ sku: 'B', warehouseCode: 'STO' }));
        expect(await b.first()).toEqual({ data: { stockChanged: { sku: 'B', onHand: 5 } } });

        a.stop();
        await until(async () => (await subscribers('A')) === 0);
        operation(client, STOCK, { sku: 'D' });
        await waitForSubscribers(redis, channel('D'));
        expect(a.results).toEqual([]);
      } finally {
        await client.dispose();
      }
    });

    it('refuses the subscription over maxSubscriptionsPerSubject across sockets, and closing a socket gives its slots back', async () => {
      const token = tokenFor('ops'); // every ops token of the tests has the subject test:ops
      const first = socket(server.wsUrl, token);
      const second = socket(server.wsUrl, token);
      const other = socket(server.wsUrl, tokenFor('admin'));
      try {
        operation(first, STOCK, { sku: 'A' });
        operation(first, STOCK, { sku: 'B' });
        operation(second, STOCK, { sku: 'C' });
        for (const sku of ['A', 'B', 'C']) await waitForSubscribers(redis, channel(sku));
        const refused = operation(second, STOCK, { sku: 'D' });
        expect((await refused.first()).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_SUBSCRIPTIONS_PER_SUBJECT', limit: 3 });

        // Another subject is not affected.
        operation(other, STOCK, { sku: 'E' });
        await waitForSubscribers(redis, channel('E'));

        await first.dispose();
        await until(async () => (await subscribers('A')) === 0 && (await subscribers('B')) === 0);
        const again = operation(second, STOCK, { sku: 'F' });
        await waitForSubscribers(redis, channel('F'));
        expect(again.results).toEqual([]);
      } finally {
        await Promise.all([first.dispose(), second.dispose(), other.dispose()]);
      }
    });
  });

  describe('CORS', () => {
    const preflight = (url: string, origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });

    it('sends no CORS headers when no origin is configured (the default)', async () => {
      const response = await post(api.url, JSON.stringify({ query: '{ warehouses { code } }' }), { origin: 'https://shop.example.com' });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(api.url, 'https://shop.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows the listed origins only, preflight included', async () => {
      const server = await startServer(api, { corsOrigins: ['https://shop.example.com'] });
      try {
        const allowed = await preflight(server.url, 'https://shop.example.com');
        expect(allowed.status).toBe(204);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
        expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
        expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
        expect(allowed.headers.get('vary')).toMatch(/origin/i);
        const request = await post(server.url, JSON.stringify({ query: '{ warehouses { code } }' }), { origin: 'https://shop.example.com' });
        expect(request.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');

        const foreign = await preflight(server.url, 'https://evil.example.com');
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
        expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
        const foreignRequest = await post(server.url, JSON.stringify({ query: '{ warehouses { code } }' }), { origin: 'https://evil.example.com' });
        expect(foreignRequest.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await server.stop();
      }
    });

    it('allows any origin with *', async () => {
      const server = await startServer(api, { corsOrigins: ['*'] });
      try {
        const allowed = await preflight(server.url, 'https://anything.example.org');
        expect(allowed.status).toBe(204);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('*');
      } finally {
        await server.stop();
      }
    });
  });

  it('keeps a long-running subscription helper of the suite working (api-client subscribe)', async () => {
    const subscription = subscribe(api.wsUrl, 'subscription { stockChanged(sku: "A") { sku } }', {}, tokenFor('ops'));
    await waitForSubscribers(redis, `${topics(api.env.config.redisPrefix).stockChanged}:A`);
    await subscription.close();
  });
});
