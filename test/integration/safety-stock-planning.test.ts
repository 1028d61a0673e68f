import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadSnapshot } from '../../src/allocation/load-snapshot';
import { planAllocation } from '../../src/allocation/plan-allocation';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { initOrm } from '../../src/db/init-orm';
import { placeOrder } from '../../src/orders/place-order';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { factories } from '../support/factories';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

/** The planner over a snapshot of the real database: safety stock is never promised to a normal order. */
describe('safety stock at planner level', () => {
  let env: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    const make = factories(orm);
    await make.warehouse('EAST', 'EU', [{ region: 'EU', days: 2 }]);
    await make.warehouse('WEST', 'EU', [{ region: 'EU', days: 4 }]);
    await make.product('KEEP');
    await make.stock('KEEP', 'EAST', 10);
    await make.stock('KEEP', 'WEST', 3);
    await orm.em
      .fork()
      .execute(`update stock_level set safety_stock = 8 where sku = 'KEEP' and warehouse_id = (select id from warehouse where code = 'EAST')`);
  });
  afterAll(async () => {
    await orm?.close(true);
    await env?.drop();
  });

  it('plans only what lies above safety stock in each warehouse, and waits for the rest', async () => {
    const { orderId } = await placeOrder(
      orm.em.fork(),
      {
        idempotencyKey: 'keep-1',
        customerId: 'c-1',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku: 'KEEP', quantity: 9 }],
      },
      FulfilmentPolicy.SHIP_PARTIAL,
    );
    const em = orm.em.fork();
    const batch = await loadSnapshot(em, { orderIds: [orderId], skus: [] }, await loadPlanningPolicy(em), new Date(), { lockOrders: false });
    expect(batch.snapshot.stock.find((s) => s.warehouseCode === 'EAST')).toMatchObject({ onHand: 10, available: 2 });
    const [plan] = planAllocation(batch.snapshot).orders;
    const pulled = Object.fromEntries(plan.covers.filter((c) => c.kind === 'PULL').map((c) => [c.warehouseCode, c.quantity]));
    expect(pulled).toEqual({ EAST: 2, WEST: 3 });
    expect(plan.covers.filter((c) => c.kind === 'WAIT').reduce((s, c) => s + c.quantity, 0)).toBe(4);
  });
});
