import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/allocation/load-snapshot';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import type { PlanningSnapshot } from '../../src/allocation/planning.types';
import { loadStorefrontSnapshot } from '../../src/allocation/storefront/storefront-snapshot';
import { emRunner, pgRunner } from '../../src/db/sql-runner';
import { Harness } from '../support/harness';

const DAY = 86_400_000;
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The parts a storefront question plans with, in one order (row order is the database's choice). */
function planned(s: PlanningSnapshot) {
  return {
    now: s.now,
    policy: s.policy,
    warehouses: [...s.warehouses].sort(byKey((w) => w.code)).map((w) => ({
      ...w,
      shippingLanes: [...w.shippingLanes].sort(byKey((l) => l.region)),
      transferLanes: [...w.transferLanes].sort(byKey((l) => l.toWarehouseCode)),
    })),
    stock: [...s.stock].sort(byKey((p) => `${p.sku} ${p.warehouseCode}`)),
    inbound: [...s.inbound].sort(byKey((i) => i.supplyId)),
    products: [...s.products].sort(byKey((p) => p.sku)),
    demand: [...s.demand]
      .sort(byKey((d) => d.orderId))
      .map((d) => ({ ...d, lines: d.lines.map((l) => ({ ...l, firmCovers: [...l.firmCovers].sort(byKey((c) => JSON.stringify(c))) })) })),
  };
}

/**
 * The storefront's one statement must find the same world the worker's loader finds for the same SKUs: the same
 * open demand (both rounds of the search), covers, stock, inbound supply net of promises, products and network.
 */
describe('the storefront snapshot in one statement', () => {
  let h: Harness;
  const place = (key: string, lines: Array<[string, number]>) =>
    h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: {
        idempotencyKey: key,
        customerId: `c-${key}`,
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
      },
    });

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 4, cost: 1.5 }, { region: "US", days: 9 }],
      transferLanes: [{ toWarehouseCode: "EAST", days: 1, cost: 2 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "OLD", name: "Old", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertWarehouse(input: { code: "OLD", name: "Old", region: "EU", active: false }) { id } }`);
    for (const [sku, extra] of [
      ['A', 'leadTimeDays: 10'],
      ['B', 'leadTimeDays: 5'],
      ['C', 'leadTimeDays: 3, dropShip: true, supplier: "Direct"'],
      ['D', 'leadTimeDays: 4'],
    ]) {
      await h.ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", ${extra} }) { sku } }`);
    }
    for (const [sku, warehouseCode, delta] of [
      ['A', 'EAST', 2],
      ['B', 'WEST', 3],
      ['D', 'EAST', 1],
      ['A', 'OLD', 7],
    ] as const) {
      await h.ok(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, { i: { sku, warehouseCode, delta, reason: 'count' } });
    }
    await h.ok(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id } }`, {
      i: { supplier: 'Acme', warehouseCode: 'EAST', expectedAt: new Date(Date.now() + 6 * DAY).toISOString(), lines: [{ sku: 'A', quantity: 10 }] },
    });
    await place('one', [
      ['A', 5],
      ['B', 4],
    ]);
    await place('two', [['A', 4]]);
    await place('three', [['B', 2]]);
    await place('four', [['C', 2]]);
    await h.waitFor(
      async () => (await h.orm.em.fork().execute(`select count(*)::int as n from sales_order where status = 'PENDING'`))[0].n === 0,
      'allocation',
    );
    await h.waitFor(
      async () => (await h.orm.em.fork().execute(`select count(*)::int as n from allocation_request`))[0].n === 0,
      'the worker to be idle',
    );
    // B now has stock free while orders still wait for it (the worker is stopped): the search's second round.
    await h.stopWorker();
    await h.ok(`mutation { adjustStock(input: { sku: "B", warehouseCode: "WEST", delta: 10, reason: "found" }) { onHand } }`);
  });
  afterAll(async () => h?.stop());

  const worker = async (skus: string[], now: Date) => {
    const em = h.orm.em.fork();
    return (await loadSnapshot(em, { orderIds: [], skus }, loadPlanningPolicy(em), now, { lockOrders: false })).snapshot;
  };

  it.each([[['A']], [['B']], [['C']], [['D']], [['A', 'B', 'C', 'D']], [['B', 'B']]])('finds what the worker loader finds for %j', async (skus) => {
    const now = new Date();
    const expected = planned(await worker(skus, now));
    const first = await loadStorefrontSnapshot(pgRunner(h.services.pg), h.services.referenceData, skus, now);
    // Again, now answered from the cached reference data.
    const second = await loadStorefrontSnapshot(pgRunner(h.services.pg), h.services.referenceData, skus, now);
    expect(planned(first.snapshot)).toEqual(expected);
    expect(planned(second.snapshot)).toEqual(expected);
    expect(first.unknownSkus).toEqual([]);
  });

  it('holds demand from both rounds of the search, covers and promises', async () => {
    const { snapshot } = await loadStorefrontSnapshot(pgRunner(h.services.pg), h.services.referenceData, ['A'], new Date());
    // Orders waiting on A (one, two), and on B, which has stock free (three); not the drop-shipped four.
    expect(snapshot.demand.map((d) => d.lines.map((l) => `${l.sku}${l.quantity}`).join('+')).sort()).toEqual(['A4', 'A5+B4', 'B2']);
    expect(snapshot.demand.flatMap((d) => d.lines.flatMap((l) => l.firmCovers.map((c) => `${l.sku}:${c.kind}`))).sort()).toEqual([
      'A:PULL',
      'B:TRANSFER',
    ]);
    expect(snapshot.warehouses.find((w) => w.code === 'OLD')?.active).toBe(false);
  });

  it('reads the same inside a repeatable-read transaction on a MikroORM em, and names unknown SKUs', async () => {
    const now = new Date();
    const expected = planned(await worker(['A', 'B'], now));
    const em = h.orm.em.fork();
    await em.begin();
    try {
      const inside = await loadStorefrontSnapshot(emRunner(em), h.services.referenceData, ['A', 'B', 'NOPE'], now);
      expect(planned(inside.snapshot)).toEqual(expected);
      expect(inside.unknownSkus).toEqual(['NOPE']);
    } finally {
      await em.rollback();
    }
  });
});
