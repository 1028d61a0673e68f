import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildService, entryPoints, freePort, startChild, waitForReady } from '../../tools/bench/environment';
import { sleep } from '../../tools/bench/stats';
import { terminate, waitForWorker, watchWorkerStart } from '../../tools/drill/fleet';
import { OwnPostgres, OwnRedis } from '../../tools/drill/own-servers';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

/**
 * The real API and worker processes (as production starts them) against a Redis and, where it must be stopped, a
 * PostgreSQL cluster of this file's own: shutdown stays bounded with Redis gone, and a process started before its
 * database waits for it.
 */

const SHUTDOWN_TIMEOUT_MS = 2_000;
const entries = entryPoints(false);
const children: ChildService[] = [];

function start(name: 'api' | 'worker', env: Record<string, string>): ChildService {
  const child = startChild(name, name === 'api' ? entries.api : entries.worker, entries.nodeArgs, {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    WORKER_METRICS_PORT: '0',
    OUTBOX_POLL_MS: '200',
    ...env,
  });
  if (name === 'worker') watchWorkerStart(child);
  children.push(child);
  return child;
}

afterEach(() => {
  for (const child of children.splice(0)) if (!child.done) child.process.kill('SIGKILL');
});

describe('shutdown with Redis unreachable', () => {
  let env: TestDatabase;
  let ownRedis: OwnRedis;

  afterAll(async () => {
    await ownRedis?.kill();
    await env?.drop();
  });

  it('the worker and the API exit on SIGTERM within SHUTDOWN_TIMEOUT_MS after Redis went away', async () => {
    env = await createTestEnvironment();
    ownRedis = new OwnRedis(await freePort());
    await ownRedis.start();
    const port = await freePort();
    const common = { DATABASE_URL: env.config.databaseUrl, REDIS_URL: ownRedis.url, REDIS_PREFIX: env.config.redisPrefix };
    const worker = start('worker', common);
    // Waiting for the worker first keeps the two migrations apart on a 2-core machine; both are idempotent anyway.
    const api = start('api', { ...common, PORT: String(port) });
    await waitForWorker(worker);
    await waitForReady(`http://127.0.0.1:${port}`, api, 60_000);

    await ownRedis.kill();
    await sleep(500);
    const [w, a] = await Promise.all([terminate(worker, 20_000), terminate(api, 20_000)]);
    // Bounded: the deadline plus process start-up slack, and never the SIGKILL backstop.
    expect(w.signal).toBeNull();
    expect(a.signal).toBeNull();
    expect(w.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
    expect(a.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
  }, 120_000);
});

describe('start before PostgreSQL is up', () => {
  let pg: OwnPostgres | undefined;
  let redis: OwnRedis | undefined;

  afterAll(async () => {
    await redis?.kill();
    await pg?.remove();
  });

  it('the API and the worker wait for the database, then start, create it and migrate it', async () => {
    pg = new OwnPostgres(await freePort());
    await pg.init();
    redis = new OwnRedis(await freePort());
    await redis.start();
    const port = await freePort();
    const common = { DATABASE_URL: pg.url('oms_late'), REDIS_URL: redis.url, REDIS_PREFIX: 'late' };
    const api = start('api', { ...common, PORT: String(port) });
    const worker = start('worker', common);

    // Under load the worker may take a while to boot and try: wait for its first retry line, not a fixed time.
    const deadline = Date.now() + 60_000;
    while (!worker.tail.some((line) => line.includes('database unreachable at start; retrying')) && !worker.done && Date.now() < deadline)
      await sleep(200);
    expect(worker.tail.some((line) => line.includes('database unreachable at start; retrying'))).toBe(true);
    expect(api.done).toBe(false);
    expect(worker.done).toBe(false);

    await pg.start();
    await waitForReady(`http://127.0.0.1:${port}`, api, 60_000);
    await waitForWorker(worker);
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await response.json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
  }, 150_000);
});
