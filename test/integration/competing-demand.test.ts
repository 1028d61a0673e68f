import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/allocation/load-snapshot';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { selectCompetingDemand } from '../../src/allocation/select-competing-demand';
import { Harness } from '../support/harness';

/**
 * The search for competing demand needs both of its lookups and the judging after the last one. The chain:
 * C (oldest) waits on Z and W; B waits on X and Z; then X and Z come free with no request for them (as when a
 * batch on other SKUs runs first), and a new order A for X is placed. A's X is free: lookup one finds B. B's Z is
 * free: lookup two finds C, which must get Z before the newer B. C's W has nothing free: judged after lookup two,
 * it is one of the SKUs the loader checks against its stock read.
 */
describe('the competing-demand search, against the database', () => {
  let h: Harness;
  let n = 0;
  const place = async (lines: Array<[string, number]>) =>
    (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: `competing-${++n}`,
          customerId: `c-${n}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
        },
      })
    ).placeOrder.id as string;
  const order = async (id: string) =>
    (await h.ok(`query($id: ID!) { order(id: $id) { status lines { sku allocatedQuantity backorderedQuantity } } }`, { id })).order;
  const settled = (id: string, status: string) =>
    h.waitFor(async () => ((await order(id)).status === status ? true : null), `order ${id} to become ${status}`);
  let orderA = '';
  let orderB = '';
  let orderC = '';

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`,
    );
    for (const sku of ['X', 'Z', 'W']) await h.ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", leadTimeDays: 10 }) { sku } }`);
    orderC = await place([
      ['Z', 1],
      ['W', 1],
    ]);
    await settled(orderC, 'BACKORDERED');
    orderB = await place([
      ['X', 1],
      ['Z', 1],
    ]);
    await settled(orderB, 'BACKORDERED');
    await h.stopWorker();
    for (const [sku, delta] of [
      ['X', 2],
      ['Z', 1],
    ] as const) {
      await h.ok(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, {
        i: { sku, warehouseCode: 'EAST', delta, reason: 'found' },
      });
    }
    // Free stock with no request for its SKU: only the search's rule brings its backorders into a batch.
    await h.orm.em.fork().execute(`delete from allocation_request`);
    orderA = await place([['X', 1]]);
  });
  afterAll(async () => h?.stop());

  it('follows the free SKUs of the orders found for two lookups, and judges the SKUs the last one found', async () => {
    const em = h.orm.em.fork();
    const competing = await selectCompetingDemand(em, { orderIds: [orderA], skus: [] });
    expect([...competing.orderIds].sort()).toEqual([orderA, orderB, orderC].sort());
    expect([...competing.judgedNothingFree]).toEqual(['W']);
    const { snapshot } = await loadSnapshot(em, { orderIds: [orderA], skus: [] }, loadPlanningPolicy(em), new Date(), { lockOrders: false });
    expect(snapshot.demand.map((d) => d.orderId).sort()).toEqual([orderA, orderB, orderC].sort());
  });

  it('lets the oldest backorder found by the second lookup take the stock that came free, not a newer one', async () => {
    await h.startWorker();
    await settled(orderA, 'ALLOCATED');
    const c = await order(orderC);
    expect(c.lines.map((l: any) => [l.sku, l.allocatedQuantity, l.backorderedQuantity])).toEqual([
      ['Z', 1, 0],
      ['W', 0, 1],
    ]);
    const b = await order(orderB);
    expect(b.lines.map((l: any) => [l.sku, l.allocatedQuantity, l.backorderedQuantity])).toEqual([
      ['X', 1, 0],
      ['Z', 0, 1],
    ]);
  });
});
