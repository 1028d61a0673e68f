import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { createLogger } from '../../src/shared/logger';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';
import { Harness } from '../support/harness';

describe('racing buyers', () => {
  let h: Harness;
  let secondWorker: WorkerRuntime;

  beforeAll(async () => {
    h = await Harness.start();
    // A second worker process's worth of machinery on the same database and queue.
    secondWorker = createWorkerRuntime({
      config: h.config,
      orm: h.orm,
      logger: createLogger(h.config, 'worker-2'),
      policyFor: loadPlanningPolicy,
      sweepMs: 60_000,
    });
    await secondWorker.start();
    await h.ok(`mutation { upsertWarehouse(input: { code: "A", name: "A", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "B", name: "B", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "HOT", name: "Hot item" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "HOT", warehouseCode: "A", delta: 12, reason: "count" }) { onHand } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "HOT", warehouseCode: "B", delta: 8, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => {
    await secondWorker?.stop();
    await h?.stop();
  });

  it('50 concurrent orders for 20 units across two workers: exactly 20 allocated, none oversold', async () => {
    const placed = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
          input: {
            idempotencyKey: `race-${i}`,
            customerId: `buyer-${i}`,
            channel: 'web',
            currency: 'EUR',
            shipToRegion: 'EU',
            lines: [{ sku: 'HOT', quantity: 1, unitPrice: 1 }],
          },
        }),
      ),
    );
    const ids = placed.map((p) => p.placeOrder.id);
    const statuses = await h.waitFor(async () => {
      const rows: Array<{ status: string }> = await h.orm.em.fork().execute(`select status from sales_order where status <> 'PENDING'`);
      return rows.length === 50 ? rows : null;
    }, 'every order to be allocated');
    expect(statuses.filter((s) => s.status === 'ALLOCATED')).toHaveLength(20);
    expect(statuses.filter((s) => s.status === 'BACKORDERED')).toHaveLength(30);

    const stock = (await h.ok(`{ stockLevels(sku: "HOT") { warehouseCode onHand reserved available } }`)).stockLevels;
    expect(stock).toEqual([
      { warehouseCode: 'A', onHand: 12, reserved: 12, available: 0 },
      { warehouseCode: 'B', onHand: 8, reserved: 8, available: 0 },
    ]);
    const [totals] = await h.orm.em
      .fork()
      .execute(
        `select sum(allocated_quantity)::int as allocated, sum(backordered_quantity)::int as backordered from order_line where order_id = any(?::uuid[])`,
        [`{${ids.join(',')}}`],
      );
    expect(totals).toEqual({ allocated: 20, backordered: 30 });
    const [active] = await h.orm.em
      .fork()
      .execute(`select coalesce(sum(quantity), 0)::int as reserved from allocation where kind = 'PULL' and status = 'ACTIVE'`);
    expect(active.reserved).toBe(20);
  });

  it('a stock count lowered while the allocator runs never leaves more reserved than on hand', async () => {
    await h.ok(`mutation { upsertProduct(input: { sku: "COUNTED", name: "Counted" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "COUNTED", warehouseCode: "A", delta: 30, reason: "count" }) { onHand } }`);
    const orders = Array.from({ length: 20 }, (_, i) =>
      h.gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: `counted-${i}`,
          customerId: `c-${i}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'COUNTED', quantity: 2, unitPrice: 1 }],
        },
      }),
    );
    const shrink = Array.from({ length: 10 }, () =>
      h.gql(`mutation { adjustStock(input: { sku: "COUNTED", warehouseCode: "A", delta: -2, reason: "damaged" }) { onHand } }`),
    );
    const results = await Promise.all([...orders, ...shrink]);
    const refused = results.slice(20).filter((r) => r.errors);
    for (const r of refused) expect(r.errors![0].extensions?.code).toBe('CONFLICT');
    await h.waitFor(async () => {
      const [row] = await h.orm.em
        .fork()
        .execute(
          `select count(*)::int as n from sales_order o join order_line l on l.order_id = o.id where l.sku = 'COUNTED' and o.status <> 'PENDING'`,
        );
      return row.n === 20;
    }, 'the counted orders to be allocated');
    const [level] = (await h.ok(`{ stockLevels(sku: "COUNTED") { warehouseCode onHand reserved } }`)).stockLevels;
    const lowered = 10 - refused.length;
    expect(level.onHand).toBe(30 - 2 * lowered);
    expect(level.reserved).toBeLessThanOrEqual(level.onHand);
    const [{ allocated }] = await h.orm.em
      .fork()
      .execute(`select coalesce(sum(allocated_quantity), 0)::int as allocated from order_line where sku = 'COUNTED'`);
    expect(allocated).toBe(level.reserved);
  });
});
