import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { graphqlShapedErrors } from '../../src/api/limits/http-limits';
import { jsonBody } from '../../src/api/limits/json-body';
import { createLogger } from '../../src/shared/logger';

const LIMIT = 1024;

/** Requests the fast path handed to body-parser. */
let handedOver = 0;

/** The same route twice: once behind jsonBody's fast path, once behind body-parser itself; both echo what they read. */
function echoApp() {
  const app = express();
  const echo = (req: express.Request, res: express.Response) => res.json({ body: req.body ?? null });
  const bodyParser = express.json({ limit: LIMIT });
  app.post(
    '/fast',
    jsonBody(LIMIT, (req, res, next) => {
      handedOver += 1;
      bodyParser(req, res, next);
    }),
    echo,
  );
  app.post('/body-parser', express.json({ limit: LIMIT }), echo);
  app.use(graphqlShapedErrors(createLogger(loadConfig({ LOG_LEVEL: 'error' }), 'test'), LIMIT));
  return app;
}

describe('the JSON body fast path answers as body-parser does', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(echoApp());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const both = async (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const send = async (path: string) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers, body });
      return { status: response.status, body: await response.json() };
    };
    return { fast: await send('/fast'), bodyParser: await send('/body-parser') };
  };

  it.each([
    ['an operation', JSON.stringify({ query: '{ warehouses { code } }', variables: { a: [1, 'ü'] } })],
    ['an array (a batch, refused later)', '[{"query":"{ a }"}]'],
    ['whitespace before the object', ' \n\t{"query":"{ a }"}'],
    ['a byte order mark', '\ufeff{"query":"{ a }"}'],
    ['nothing', ''],
    ['a JSON string', '"{ warehouses { code } }"'],
    ['a number', '5'],
    ['broken JSON', '{"query": '],
    ['text', 'query { a }'],
  ])('%s', async (_name, body) => {
    const before = handedOver;
    const { fast, bodyParser } = await both(body);
    expect(fast).toEqual(bodyParser);
    expect(handedOver, 'read by the fast path').toBe(before);
  });

  it('reads charset=utf-8 alike, and leaves other requests to body-parser (too large, gzip, another charset)', async () => {
    const before = handedOver;
    const operation = JSON.stringify({ query: '{ a }' });
    const utf8 = await both(operation, { 'content-type': 'application/json; charset=utf-8' });
    expect(utf8.fast).toEqual({ status: 200, body: { body: { query: '{ a }' } } });
    expect(utf8.fast).toEqual(utf8.bodyParser);
    expect(handedOver).toBe(before);
    const large = await both(JSON.stringify({ query: 'x'.repeat(LIMIT) }));
    expect(large.fast.status).toBe(413);
    expect(large.fast).toEqual(large.bodyParser);
    const others: Array<Record<string, string>> = [
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json; charset=klingon' },
    ];
    for (const headers of others) {
      const probe = await both('{}', headers);
      expect(probe.fast.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(probe.fast).toEqual(probe.bodyParser);
    }
    expect(handedOver - before).toBe(3);
  });

  it('keeps the text as UTF-8 across chunks', async () => {
    const text = 'ü€𝄞'.repeat(100);
    const { fast } = await both(Buffer.from(JSON.stringify({ query: text })));
    expect(fast.body).toEqual({ body: { query: text } });
  });
});
