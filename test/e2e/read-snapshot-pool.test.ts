import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

/**
 * Each query holds one pooled connection for its read snapshot. A service that took a second connection of its own
 * would deadlock the API once more queries run at once than the pool holds (10): every one holding a connection,
 * waiting for another. Every read must run on the request's own em.
 */
describe('read snapshots under more concurrent queries than the pool holds', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ worker: false });
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "POOL", name: "Pool", leadTimeDays: 5 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "POOL", warehouseCode: "EAST", delta: 10, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => h?.stop());

  it('answers 80 concurrent reads of every service that reads on its own', async () => {
    const reads = [
      `{ deliveryOptions(input: { region: "EU", lines: [{ sku: "POOL", quantity: 2 }] }) { fulfilmentPolicy eta summary } }`,
      `{ availability(sku: "POOL", quantity: 1, region: "EU") { eta } availabilities(items: [{ sku: "POOL", quantity: 1 }], region: "EU") { eta } }`,
      `{ warehouses { code } allocationSettings { allowDropShip } product(sku: "POOL") { sku } stockLevels(sku: "POOL") { onHand } }`,
      `{ backorders(first: 5) { totalCount } backorderTotals { sku } orders(first: 5) { totalCount } }`,
    ];
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => h.gql(reads[i % reads.length])));
    expect(answers.filter((a) => a.errors).map((a) => JSON.stringify(a.errors))).toEqual([]);
    // A pool deadlock waits for the acquire timeout (a minute) before anything fails.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
