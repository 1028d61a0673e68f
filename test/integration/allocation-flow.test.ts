import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/init-orm';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { placeOrder } from '../../src/orders/place-order';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { createLogger } from '../../src/shared/logger';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';
import { createTestEnvironment, TestDatabase } from '../support/test-env';
import { factories } from '../support/factories';

describe('allocation through the worker', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  let worker: WorkerRuntime;
  let make: ReturnType<typeof factories>;

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    worker = createWorkerRuntime({
      config: env.config,
      orm,
      logger: createLogger(env.config, 'test'),
      policyFor: loadPlanningPolicy,
      sweepMs: 60_000,
    });
    await worker.start();
    make = factories(orm);
    await make.warehouse('EAST', 'EU', [{ region: 'EU', days: 2 }]);
    await make.warehouse('WEST', 'EU', [{ region: 'EU', days: 4 }]);
    await make.product('SKU-1');
    await make.stock('SKU-1', 'EAST', 70);
  });
  afterAll(async () => {
    await worker?.stop();
    await orm?.close(true);
    await env?.drop();
  });

  async function waitForStatus(orderId: string, statuses: string[], timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await orm.em.fork().execute(`select status from sales_order where id = ?`, [orderId]);
      if (statuses.includes(row.status)) return row.status;
      if (Date.now() > deadline) throw new Error(`order ${orderId} stayed ${row.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('reserves the 70 in stock and backorders 30 on the lead time', async () => {
    const { orderId } = await placeOrder(
      orm.em.fork(),
      {
        idempotencyKey: 'k-1',
        customerId: 'c-1',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku: 'SKU-1', quantity: 100, unitPrice: 5 }],
      },
      FulfilmentPolicy.SHIP_PARTIAL,
    );
    expect(await waitForStatus(orderId, ['PARTIALLY_ALLOCATED'])).toBe('PARTIALLY_ALLOCATED');
    const [line] = await orm.em.fork().execute(`select * from order_line where order_id = ?`, [orderId]);
    expect(line).toMatchObject({ quantity: 100, allocated_quantity: 70, backordered_quantity: 30 });
    expect(await make.stockOf('SKU-1', 'EAST')).toEqual({ onHand: 70, reserved: 70 });
    const allocations = await orm.em
      .fork()
      .execute(`select kind, quantity, warehouse_code, reason from allocation where order_id = ? order by kind`, [orderId]);
    expect(allocations.map((a: any) => [a.kind, a.quantity])).toEqual([
      ['PULL', 70],
      ['WAIT', 30],
    ]);
    const shipments = await orm.em.fork().execute(`select warehouse_code, status from shipment where order_id = ?`, [orderId]);
    expect(shipments).toEqual([{ warehouse_code: 'EAST', status: 'READY' }]);
    const suggestions = await orm.em
      .fork()
      .execute(`select p.status, l.quantity from purchase_order p join purchase_order_line l on l.purchase_order_id = p.id where p.suggested`);
    expect(suggestions).toEqual([{ status: 'DRAFT', quantity: 30 }]);
  });
});
