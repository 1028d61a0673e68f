import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server';
import { createServices } from '../../src/app/services';
import { errorCode, gql, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

describe('API server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('listens on the port it was given (0: a free one) and reports it', () => {
    expect(api.server.port).toBeGreaterThan(0);
    expect(api.url).toBe(`http://127.0.0.1:${api.server.port}/graphql`);
    expect(api.wsUrl).toBe(`ws://127.0.0.1:${api.server.port}/graphql`);
  });

  it('GET /healthz answers 200 while the process is up', async () => {
    const response = await fetch(`${api.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when Postgres and Redis answer', async () => {
    const response = await fetch(`${api.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('GET /readyz answers 503 when Redis is unreachable', async () => {
    const config = { ...api.env.config, redisUrl: 'redis://127.0.0.1:1' };
    const server = createApiServer({ config, orm: api.orm, services: createServices(api.orm, config), redis: { maxRetriesPerRequest: 0 } });
    await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'unreachable' } });
    } finally {
      await server.stop();
    }
  });

  it('answers a body that is not JSON with BAD_USER_INPUT', async () => {
    const response = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(errorCode((await response.json()) as { errors?: [] })).toBe('BAD_USER_INPUT');
  });

  it('stops gracefully: the port is released and requests are refused', async () => {
    const server = createApiServer({ config: api.env.config, orm: api.orm, services: api.services });
    await server.start();
    const { data } = await gql(server.url, '{ warehouses { code } }', {}, tokenFor('ops'));
    expect(data).toEqual({ warehouses: [] });
    await server.stop();
    expect(server.httpServer.listening).toBe(false);
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    await server.stop(); // a second stop is harmless
  });
});
