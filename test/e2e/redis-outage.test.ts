import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

/** A Redis of this test's own, so it can be stopped without disturbing the other test files. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('Redis outage', () => {
  let h: Harness;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    h = await Harness.start({ config: { redisUrl: `redis://127.0.0.1:${port}` } });
    await h.ok(`mutation { upsertWarehouse(input: { code: "W", name: "W", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "S", name: "S" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "S", warehouseCode: "W", delta: 5, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => {
    if (redis?.exitCode !== null) redis = await startRedis(port);
    await h?.stop();
    if (redis) await stopRedis(redis);
  });

  it('takes orders while Redis is down and allocates them once it is back', async () => {
    await h.waitFor(async () => {
      const [row] = await h.orm.em.fork().execute(`select count(*)::int as n from allocation_request`);
      return row.n === 0;
    }, 'the set-up work to be done');
    await stopRedis(redis);
    const placed = (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`, {
        input: {
          idempotencyKey: 'during-outage',
          customerId: 'c',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'S', quantity: 2, unitPrice: 1 }],
        },
      })
    ).placeOrder;
    expect(placed.status).toBe('PENDING');
    // The work is owed in the database, and the outbox holds what could not be delivered.
    await new Promise((r) => setTimeout(r, 600));
    const [owed] = await h.orm.em.fork().execute(
      `select (select count(*) from allocation_request)::int as requests,
              (select count(*) from outbox_message where delivered_at is null)::int as undelivered`,
    );
    expect(owed.requests).toBe(1);
    expect(owed.undelivered).toBeGreaterThan(0);
    const [order] = await h.orm.em.fork().execute(`select status from sales_order where id = ?`, [placed.id]);
    expect(order.status).toBe('PENDING');

    redis = await startRedis(port);
    const allocated = await h.waitFor(
      async () => {
        const [row] = await h.orm.em.fork().execute(`select status from sales_order where id = ?`, [placed.id]);
        return row.status === 'ALLOCATED' ? row : null;
      },
      'the order to be allocated after Redis came back',
      20_000,
    );
    expect(allocated.status).toBe('ALLOCATED');
    await h.waitFor(
      async () => {
        const [row] = await h.orm.em.fork().execute(`select count(*)::int as n from outbox_message where delivered_at is null`);
        return row.n === 0;
      },
      'the outbox to be delivered',
      10_000,
    );
  });
});
