import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { applyAllocationPlan } from '../../src/allocation/apply-plan';
import { loadSnapshot } from '../../src/allocation/load-snapshot';
import { planAllocation } from '../../src/allocation/plan-allocation';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { initOrm } from '../../src/db/init-orm';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { placeOrder } from '../../src/orders/place-order';
import { factories } from '../support/factories';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

/**
 * One plan that splits two orders, drop-ships for two and raises two reorder drafts: the applier writes each kind
 * of row for all of them in one statement, and every row still lands on its own order.
 */
describe('applying one plan for several orders at once', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  const orderIds: Record<string, string> = {};

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    const make = factories(orm);
    await make.warehouse('EAST', 'EU', [{ region: 'EU', days: 2 }]);
    await make.product('SKU-A', { reorderQuantity: 10, supplier: 'ACME' });
    await make.product('SKU-B', { reorderQuantity: 20, supplier: 'ACME' });
    await make.product('SKU-D', { dropShip: true, supplier: 'DirectCo', leadTimeDays: 7 });
    await make.stock('SKU-A', 'EAST', 4);
    await make.stock('SKU-B', 'EAST', 5);
    await make.stock('SKU-D', 'EAST', 1);
    const orders: Array<[string, string, number, FulfilmentPolicy]> = [
      ['splitA', 'SKU-A', 6, FulfilmentPolicy.SPLIT_ORDER],
      ['splitB', 'SKU-B', 8, FulfilmentPolicy.SPLIT_ORDER],
      ['dropOne', 'SKU-D', 3, FulfilmentPolicy.SHIP_PARTIAL],
      ['dropTwo', 'SKU-D', 2, FulfilmentPolicy.SHIP_PARTIAL],
    ];
    for (const [name, sku, quantity, policy] of orders) {
      const placed = await placeOrder(
        orm.em.fork(),
        {
          idempotencyKey: `k-${name}`,
          customerId: `c-${name}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          fulfilmentPolicy: policy,
          lines: [{ sku, quantity, unitPrice: 5 }],
        },
        FulfilmentPolicy.SHIP_PARTIAL,
      );
      orderIds[name] = placed.orderId;
    }
    await orm.em.fork().transactional(async (em) => {
      const now = new Date();
      const batch = await loadSnapshot(em, { orderIds: Object.values(orderIds), skus: [] }, loadPlanningPolicy(em), now);
      await applyAllocationPlan(em, batch, planAllocation(batch.snapshot), now);
    });
  });
  afterAll(async () => {
    await orm?.close(true);
    await env?.drop();
  });

  const query = (sql: string, params: unknown[] = []) => orm.em.fork().execute(sql, params);

  it('names in each SPLIT event the new order split from that order, and the original in the new one', async () => {
    for (const [name, moved] of [
      ['splitA', '2 × SKU-A'],
      ['splitB', '3 × SKU-B'],
    ] as const) {
      const [split] = await query(
        `select n.id, n.number::text as number, n.status, o.number::text as original from sales_order n join sales_order o on o.id = n.split_from_id
         where n.split_from_id = ?`,
        [orderIds[name]],
      );
      expect(split.status).toBe('BACKORDERED');
      const events = await query(`select type, message from order_event where order_id = ? order by id`, [orderIds[name]]);
      expect(events.filter((e: any) => e.type === 'SPLIT').map((e: any) => e.message)).toEqual([
        `Split: ${moved} moved to a new order: SO-${split.number}`,
      ]);
      const newEvents = await query(`select type, message from order_event where order_id = ? order by id`, [split.id]);
      expect(newEvents.map((e: any) => e.type)).toEqual(['PLACED', 'BACKORDERED']);
      expect(newEvents[0].message).toBe(`Split from SO-${split.original}: ${moved}`);
      const lines = await query(`select quantity, backordered_quantity, unit_price::text as unit_price from order_line where order_id = ?`, [
        split.id,
      ]);
      expect(lines).toEqual([{ quantity: Number(moved[0]), backordered_quantity: Number(moved[0]), unit_price: '5.0000' }]);
      const waits = await query(`select order_id from allocation where kind = 'WAIT' and sku = ?`, [moved.split(' × ')[1]]);
      expect(waits).toEqual([{ order_id: split.id }]);
    }
  });

  it('raises one drop-ship purchase order per order, each with its own units', async () => {
    const rows = await query(
      `select p.drop_ship_order_id, p.status, l.quantity, a.quantity as allocated from purchase_order p
       join purchase_order_line l on l.purchase_order_id = p.id join allocation a on a.purchase_order_line_id = l.id
       where p.drop_ship_order_id is not null order by l.quantity`,
    );
    expect(rows).toEqual([
      { drop_ship_order_id: orderIds.dropOne, status: 'OPEN', quantity: 2, allocated: 2 },
      { drop_ship_order_id: orderIds.dropTwo, status: 'OPEN', quantity: 2, allocated: 2 },
    ]);
  });

  it('raises one reorder draft per SKU waiting on the lead time, each with its line', async () => {
    const drafts = await query(
      `select l.sku, l.quantity from purchase_order p join purchase_order_line l on l.purchase_order_id = p.id
       where p.suggested and p.status = 'DRAFT' order by l.sku`,
    );
    expect(drafts).toEqual([
      { sku: 'SKU-A', quantity: 12 },
      { sku: 'SKU-B', quantity: 23 },
    ]);
    const [{ count }] = await query(`select count(distinct number)::int as count from purchase_order`);
    expect(count).toBe(4);
  });
});
