import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const DRAFTS = `{ purchaseOrders(filter: { suggested: true }, first: 10) { edges { node { id status note lines { sku quantity } } } } }`;

describe('the reorder suggestion follows demand', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "REO", name: "Reo", leadTimeDays: 5, reorderQuantity: 10, supplier: "Acme" }) { sku } }`);
  });
  afterAll(async () => h?.stop());

  const place = (key: string, quantity: number) =>
    h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: {
        idempotencyKey: key,
        customerId: key,
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku: 'REO', quantity, unitPrice: 1 }],
      },
    });
  const drafts = async () => (await h.ok(DRAFTS)).purchaseOrders.edges.map((e: any) => e.node);
  const draftOf = (quantity: number) =>
    h.waitFor(async () => {
      const all = await drafts();
      return all.length === 1 && all[0].lines[0].quantity === quantity ? all : null;
    }, `one draft for ${quantity}`);

  it('grows one draft to the reorder quantity plus every unit owed, and raises no second one', async () => {
    await place('reo-a', 5);
    await draftOf(15);
    await place('reo-b', 20);
    const [grown] = await draftOf(35);
    expect(grown).toMatchObject({ status: 'DRAFT', lines: [{ sku: 'REO', quantity: 35 }] });
    expect(grown.note).toBe('Grown from 15 to 35 (reorder quantity 10 + 25 backordered with no purchase order open)');

    // Less demand does not shrink it (a buyer may already be talking to the supplier), nor does it add a draft.
    await place('reo-c', 1);
    await draftOf(36);
    await h.ok(`mutation { adjustStock(input: { sku: "REO", warehouseCode: "EAST", delta: 1, reason: "found one" }) { onHand } }`);
    await new Promise((r) => setTimeout(r, 500));
    expect((await drafts()).map((d: any) => d.lines[0].quantity)).toEqual([36]);
  });
});
