import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Allocator } from '../../src/allocation/allocator';
import { ALLOCATION_LOCK_CLASS, skuPartition, skuPartitionSql } from '../../src/allocation/partitions';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { createServices } from '../../src/app/services';
import { initOrm } from '../../src/db/init-orm';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { placeOrder } from '../../src/orders/place-order';
import { createLogger } from '../../src/shared/logger';
import { checkInvariants, formatChecks } from '../../tools/shared/invariants';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';
import { factories } from '../support/factories';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

/** A small deterministic generator (mulberry32), so the mix of orders is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOT_A = 'HOT-A';
/** A second hot SKU in another partition than the first, so orders holding both cross partitions. */
const HOT_B = ['HOT-B', 'HOT-C', 'HOT-D', 'HOT-E'].find((sku) => skuPartition(sku) !== skuPartition(HOT_A))!;
const REGULAR = Array.from({ length: 24 }, (_, i) => `REG-${i}`);

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('several workers on one database', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  let db: Client;

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    db = new Client({ connectionString: env.config.databaseUrl });
    await db.connect();
    const make = factories(orm);
    await make.warehouse('W', 'EU');
    await make.warehouse('V', 'EU', [{ region: 'EU', days: 3 }]);
    for (const sku of [HOT_A, HOT_B, ...REGULAR]) await make.product(sku);
    await make.stock(HOT_A, 'W', 60);
    await make.stock(HOT_B, 'W', 30);
    await make.stock(HOT_B, 'V', 15);
    for (const sku of REGULAR) await make.stock(sku, 'W', 10_000);
  });
  afterAll(async () => {
    await db?.end();
    await orm?.close(true);
    await env?.drop();
  });

  const owed = async () => {
    const { rows } = await db.query(
      `select (select count(*) from allocation_request)::int + (select count(*) from sales_order where status = 'PENDING')::int as owed`,
    );
    return rows[0].owed as number;
  };

  it('computes a SKU’s partition in SQL exactly as in JavaScript', async () => {
    const skus = ['abc', 'HOT-A', 'ÅSA-ÖL-1', 'x'.repeat(200), ...REGULAR];
    const { rows } = await db.query(`select sku, ${skuPartitionSql('sku')} as p from unnest($1::text[]) sku`, [skus]);
    expect(rows.map((r) => r.p)).toEqual(skus.map((sku) => skuPartition(sku)));
  });

  it('allocates one partition while another is held, and the held one once it is free', async () => {
    const other = REGULAR.find((sku) => skuPartition(sku) !== skuPartition(HOT_A))!;
    const holder = new Client({ connectionString: env.config.databaseUrl });
    await holder.connect();
    const place = (key: string, sku: string) =>
      placeOrder(
        orm.em.fork(),
        {
          idempotencyKey: key,
          customerId: 'c',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku, quantity: 1, unitPrice: 1 }],
        },
        FulfilmentPolicy.SHIP_PARTIAL,
      );
    try {
      // Another worker's batch, as far as locks go: it holds HOT-A's partition.
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1, $2)', [ALLOCATION_LOCK_CLASS, skuPartition(HOT_A)]);
      const held = await place('held-1', HOT_A);
      const free = await place('free-1', other);
      const statusOf = async (id: string) => (await db.query(`select status from sales_order where id = $1`, [id])).rows[0].status;

      const drained = new Allocator(orm, { batchSize: 100, policyFor: loadPlanningPolicy }).drain();
      await waitUntil(async () => (await statusOf(free.orderId)) !== 'PENDING', 'the order of the free partition');
      expect(await statusOf(held.orderId)).toBe('PENDING');

      await holder.query('commit');
      await drained;
      expect(await statusOf(held.orderId)).toBe('ALLOCATED');
      expect(await statusOf(free.orderId)).toBe('ALLOCATED');
    } finally {
      await holder.end();
    }
  });

  it('three workers racing over hot SKUs and orders across partitions: no oversell, oldest first, every order allocated once', async () => {
    const next = random(11);
    let placedCount = 0;
    const place = async () => {
      const n = placedCount++;
      const lines = new Map<string, number>();
      const width = 1 + Math.floor(next() * 3);
      while (lines.size < width) {
        const r = next();
        const sku = r < 0.25 ? HOT_A : r < 0.5 ? HOT_B : REGULAR[Math.floor(next() * REGULAR.length)];
        lines.set(sku, 1 + Math.floor(next() * 3));
      }
      const p = next();
      const policy = p < 0.8 ? FulfilmentPolicy.SHIP_PARTIAL : p < 0.9 ? FulfilmentPolicy.SHIP_COMPLETE : FulfilmentPolicy.SPLIT_ORDER;
      await placeOrder(
        orm.em.fork(),
        {
          idempotencyKey: `race-${n}`,
          customerId: `buyer-${n % 40}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [...lines].map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
        },
        policy,
      );
    };
    // A backlog placed one by one (placing time and request order agree), then three workers start on it at once.
    for (let i = 0; i < 300; i++) await place();
    const backlogEnd = (await db.query(`select max(placed_at) as at from sales_order`)).rows[0].at as Date;

    const orms: MikroORM[] = [];
    const workers: WorkerRuntime[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const workerOrm = await initOrm({ databaseUrl: env.config.databaseUrl });
        orms.push(workerOrm);
        workers.push(
          createWorkerRuntime({
            config: env.config,
            orm: workerOrm,
            logger: createLogger(env.config, `worker-${i}`),
            policyFor: loadPlanningPolicy,
            sweepMs: 1_000,
          }),
        );
      }
      await Promise.all(workers.map((w) => w.start()));

      // While they work: more buyers ten at a time, and goods received for both hot SKUs.
      const services = createServices(orm, env.config);
      for (let round = 0; round < 12; round++) await Promise.all(Array.from({ length: 10 }, () => place()));
      await services.stock.adjustStock({ sku: HOT_A, warehouseCode: 'W', delta: 40, reason: 'goods received' });
      await services.stock.adjustStock({ sku: HOT_B, warehouseCode: 'V', delta: 20, reason: 'goods received' });
      for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 10 }, () => place()));
      await waitUntil(async () => (await owed()) === 0, 'every order to be allocated');
      await waitUntil(async () => (await db.query(`select 1 from outbox_message where delivered_at is null limit 1`)).rowCount === 0, 'the outbox');
    } finally {
      for (const w of workers) await w.stop();
      for (const o of orms) await o.close(true);
    }

    const report = await checkInvariants(db);
    expect(report.ok, formatChecks(report)).toBe(true);

    for (const [sku, onHand] of [
      [HOT_A, 100],
      [HOT_B, 65],
    ] as const) {
      // Demand for each hot SKU is well above its stock: every unit is allocated, to the oldest orders.
      const { rows } = await db.query(
        `select o.placed_at, sum(l.quantity - l.cancelled_quantity)::int as wanted, sum(l.allocated_quantity)::int as allocated
         from order_line l join sales_order o on o.id = l.order_id where l.sku = $1
         group by o.placed_at order by o.placed_at`,
        [sku],
      );
      const wanted = rows.reduce((s, r) => s + r.wanted, 0);
      const allocated = rows.reduce((s, r) => s + r.allocated, 0);
      expect(wanted).toBeGreaterThan(onHand);
      expect(allocated).toBe(onHand);
      const stock = (
        await db.query(`select sum(on_hand_quantity)::int as on_hand, sum(reserved_quantity)::int as reserved from stock_level where sku = $1`, [sku])
      ).rows[0];
      expect(stock).toEqual({ on_hand: onHand, reserved: onHand });
      // Oldest first: once an order (with the orders split from it) is short, no younger order got any.
      const firstShort = rows.findIndex((r) => r.allocated < r.wanted);
      expect(rows.slice(firstShort + 1).filter((r) => r.allocated > 0)).toEqual([]);
      // The backlog alone wanted more than the stock, so no order placed while the workers ran got a hot unit.
      expect(rows[firstShort].placed_at.getTime()).toBeLessThanOrEqual(backlogEnd.getTime());
    }

    // Every order placed exists once (and, by the checks above, its every unit is accounted for once).
    const { rows: orders } = await db.query(`select count(*)::int as n from sales_order where idempotency_key like 'race-%'`);
    expect(orders[0].n).toBe(placedCount);
  }, 240_000);
});
