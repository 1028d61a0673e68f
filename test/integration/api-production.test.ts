import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server';
import { createServices } from '../../src/app/services';
import { topics } from '../../src/events/topics';
import { gql, GqlError, subscribe, tokenFor, waitForSubscribers } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';
import { factories } from '../support/factories';

/** What must never reach a caller in production: SQL, table names, stack frames. */
const LEAK = /stock_level|sales_order|select |relation |\bat .+:\d+:\d+|stacktrace|\.ts\b/i;

async function wsOnce(wsUrl: string, query: string, token?: string): Promise<{ data?: any; errors?: GqlError[] }> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  try {
    return await new Promise((resolve, reject) => {
      let result: { data?: any; errors?: GqlError[] } | undefined;
      client.subscribe(
        { query },
        {
          next: (value) => void (result = value as any),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(result ?? {}),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** A token signed with the test secret whose claims are whatever the caller says. */
function forgedClaims(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

describe('NODE_ENV=production: no suggestions, no introspection, no SQL or stack in any response', () => {
  let api: TestApi;
  let redis: Redis;
  const sql = (query: string) => api.orm.em.fork().execute(query);

  beforeAll(async () => {
    api = await startTestApi({ nodeEnv: 'production', isProduction: true });
    redis = new Redis(api.env.config.redisUrl);
    const make = factories(api.orm);
    await make.warehouse('STO', 'SE');
    await make.product('A');
    await make.stock('A', 'STO', 5);
  });
  afterAll(async () => {
    redis?.disconnect();
    await api?.close();
  });

  it('answers misspelt fields and enum values without "Did you mean", over HTTP and websockets (development keeps them)', async () => {
    const misspelt = '{ warehouse { code } }';
    const http = await gql(api.url, misspelt, {}, tokenFor('ops'));
    expect(http.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(http.errors?.[0].message).toMatch(/Cannot query field "warehouse"/);
    expect(JSON.stringify(http.errors)).not.toMatch(/Did you mean/);
    const ws = await wsOnce(api.wsUrl, misspelt, tokenFor('ops'));
    expect(ws.errors?.[0].message).toMatch(/Cannot query field "warehouse"/);
    expect(JSON.stringify(ws.errors)).not.toMatch(/Did you mean/);
    const enumValue = await gql(
      api.url,
      'query($s: OrderStatus) { orders(filter: { status: $s }) { totalCount } }',
      { s: 'PENDIN' },
      tokenFor('admin'),
    );
    expect(enumValue.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(enumValue.errors)).not.toMatch(/Did you mean/);

    const config = { ...api.env.config, nodeEnv: 'development' as const, isProduction: false };
    const development = createApiServer({ config, orm: api.orm, services: createServices(api.orm, config) });
    await development.start();
    try {
      expect((await gql(development.url, misspelt, {}, tokenFor('ops'))).errors?.[0].message).toMatch(/Did you mean "warehouses"/);
    } finally {
      await development.stop();
    }
  });

  it('refuses introspection over HTTP and over websockets, even with a valid token', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const http = await gql(api.url, introspection, {}, tokenFor('admin'));
    expect(http.status).toBe(400);
    expect(http.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INTROSPECTION_DISABLED' });
    const typeQuery = await gql(api.url, '{ __type(name: "Order") { fields { name } } }', {}, tokenFor('admin'));
    expect(typeQuery.errors?.[0].extensions?.reason).toBe('INTROSPECTION_DISABLED');
    const ws = await wsOnce(api.wsUrl, introspection, tokenFor('admin'));
    expect(ws.data).toBeUndefined();
    expect(ws.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INTROSPECTION_DISABLED' });
    // An ordinary query still runs.
    expect((await gql(api.url, '{ warehouses { code __typename } }', {}, tokenFor('ops'))).data).toEqual({
      warehouses: [{ code: 'STO', __typename: 'Warehouse' }],
    });
  });

  it('answers errors raised before GraphQL (express, body parsing, context creation) without SQL or stack', async () => {
    const probes: Array<{ name: string; init: RequestInit; status: number }> = [
      {
        name: 'gzip that is not gzip',
        init: { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip' },
        status: 400,
      },
      {
        name: 'an unknown content-encoding',
        init: { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br2' }, body: '{}' },
        status: 415,
      },
      {
        name: 'an unsupported charset',
        init: { method: 'POST', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{}' },
        status: 415,
      },
      {
        name: 'JSON that is not an operation',
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": 5}' },
        status: 400,
      },
      {
        name: 'a JSON string',
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"{ warehouses { code } }"' },
        status: 400,
      },
      {
        name: 'a signed token whose subject cannot become text',
        init: {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${forgedClaims({ role: 'admin', sub: { toString: 1 }, exp: Math.floor(Date.now() / 1000) + 60 }, api.env.config.authSecret)}`,
          },
          body: JSON.stringify({ query: '{ warehouses { code } }' }),
        },
        status: -1,
      },
    ];
    for (const probe of probes) {
      const response = await fetch(api.url, probe.init);
      const text = await response.text();
      if (probe.status > 0) expect(response.status, probe.name).toBe(probe.status);
      expect(text, probe.name).not.toMatch(LEAK);
      const body = JSON.parse(text) as { errors?: GqlError[] };
      expect(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'INTERNAL_SERVER_ERROR'], probe.name).toContain(body.errors?.[0].extensions?.code);
    }
  });

  it('answers malformed websocket messages with protocol errors or close reasons that carry no stack, and closes on oversized ones', async () => {
    const replies: string[] = [];
    const closes: Array<{ code: number; reason: string }> = [];
    const raw = (messages: unknown[]) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(api.wsUrl, 'graphql-transport-ws');
        ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokenFor('admin')}` } })));
        ws.on('message', (data) => {
          const text = data.toString();
          replies.push(text);
          if (JSON.parse(text).type === 'connection_ack')
            for (const message of messages) ws.send(typeof message === 'string' ? message : JSON.stringify(message));
        });
        ws.on('close', (code, reason) => {
          closes.push({ code, reason: reason.toString() });
          resolve();
        });
        setTimeout(() => ws.close(), 400);
      });
    for (const message of [
      { type: 'subscribe', id: '1', payload: { query: 5 } },
      { type: 'subscribe', id: '2', payload: { query: '{ warehouses { code } }', variables: 'not an object' } },
      { type: 'subscribe', id: '3', payload: { query: 'query($n: Int!) { orders(first: $n) { totalCount } }', variables: { n: 'many' } } },
      { type: 'subscribe', id: '4', payload: { query: '{ warehouses { code } ' } },
      'not json at all',
    ]) {
      await raw([message]);
    }
    await raw([
      JSON.stringify({
        type: 'subscribe',
        id: '1',
        payload: { query: `{ warehouses { code } }`, variables: { pad: 'x'.repeat(api.env.config.maxRequestBytes) } },
      }),
    ]);
    for (const text of [...replies, ...closes.map((c) => c.reason)]) expect(text).not.toMatch(LEAK);
    expect(replies.some((text) => text.includes('"BAD_USER_INPUT"'))).toBe(true);
    expect(closes.map((c) => c.code)).toContain(1009); // message too big: maxRequestBytes holds for websockets too
  });

  it('masks database failures in queries, in subscription set-up and in subscription events, over HTTP and websockets', async () => {
    const channel = `${topics(api.env.config.redisPrefix).stockChanged}:A`;
    const stock = subscribe(api.wsUrl, 'subscription { stockChanged(sku: "A") { sku onHand } }', {}, tokenFor('ops'));
    await waitForSubscribers(redis, channel);
    await sql('alter table stock_level rename to stock_level_moved');
    await sql('alter table sales_order rename to sales_order_moved');
    try {
      const http = await gql(api.url, '{ stockLevels(sku: "A") { onHand } }', {}, tokenFor('ops'));
      const ws = await wsOnce(api.wsUrl, '{ stockLevels(sku: "A") { onHand } }', tokenFor('ops'));
      await redis.publish(channel, JSON.stringify({ sku: 'A', warehouseCode: 'STO' }));
      const event = await stock.next();
      const setUp = subscribe(
        api.wsUrl,
        'subscription { orderUpdated(orderId: "00000000-0000-4000-8000-000000000001") { type } }',
        {},
        tokenFor('service'),
      );
      const refused = await setUp.next();
      await setUp.close();
      for (const [name, result] of Object.entries({ http, ws, event, refused })) {
        expect(result.errors?.[0], name).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        expect(JSON.stringify(result), name).not.toMatch(LEAK);
      }
    } finally {
      await stock.close();
      await sql('alter table stock_level_moved rename to stock_level');
      await sql('alter table sales_order_moved rename to sales_order');
    }
  });
});
