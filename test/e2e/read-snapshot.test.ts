import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const READ = `{ orders(first: 50) { edges { node { number status lines {
  sku quantity allocatedQuantity backorderedQuantity allocations { kind status quantity } } } } } }`;

const sum = (allocations: any[], kinds: string[]) =>
  allocations.filter((a) => a.status === 'ACTIVE' && kinds.includes(a.kind)).reduce((s, a) => s + a.quantity, 0);

/** What one committed state always satisfies; a read spread over several states can break it. */
function inconsistencies(order: any): string[] {
  const found: string[] = [];
  for (const line of order.lines) {
    const reserved = sum(line.allocations, ['PULL', 'TRANSFER']);
    const waiting = sum(line.allocations, ['WAIT', 'DROP_SHIP']);
    if (order.status === 'PENDING' && (line.allocatedQuantity > 0 || reserved > 0))
      found.push(`${order.number} PENDING with ${line.allocatedQuantity} allocated, ${reserved} reserved`);
    if (order.status !== 'PENDING' && line.allocatedQuantity !== reserved)
      found.push(`${order.number} ${order.status}: ${line.allocatedQuantity} allocated beside ${reserved} reserved`);
    if (order.status !== 'PENDING' && line.backorderedQuantity !== waiting)
      found.push(`${order.number} ${order.status}: ${line.backorderedQuantity} backordered beside ${waiting} waiting`);
  }
  return found;
}

describe('one query response reflects one committed state', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "SNAP", name: "Snap", leadTimeDays: 5 }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "SHOT", name: "Shot", leadTimeDays: 5 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "SNAP", warehouseCode: "EAST", delta: 100, reason: "count" }) { onHand } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "SHOT", warehouseCode: "EAST", delta: 40, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => h?.stop());

  it('never shows an order half allocated while the worker allocates', async () => {
    let placing = true;
    let reads = 0;
    const problems: string[] = [];
    const reader = async () => {
      while (placing) {
        const { orders } = await h.ok(READ);
        reads += 1;
        for (const edge of orders.edges) problems.push(...inconsistencies(edge.node));
      }
    };
    const readers = [reader(), reader(), reader()];
    for (let i = 0; i < 40; i += 1) {
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: `snap-${i}`,
          customerId: `c-${i}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [
            { sku: 'SNAP', quantity: 3, unitPrice: 1 },
            { sku: 'SHOT', quantity: 2, unitPrice: 1 },
          ],
        },
      });
    }
    await h.waitFor(
      async () => {
        const { orders } = await h.ok(READ);
        return orders.edges.every((e: any) => e.node.status !== 'PENDING') || null;
      },
      'every order to be allocated',
      30_000,
    );
    placing = false;
    await Promise.all(readers);
    expect(reads).toBeGreaterThan(20);
    expect(problems.slice(0, 5)).toEqual([]);
  }, 60_000);
});
