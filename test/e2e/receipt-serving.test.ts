import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { Harness } from '../support/harness';

const DAY = 86_400_000;
const RECEIPTS = `{ purchaseOrders(first: 10) { edges { node { id receipts { id at warehouseCode servedAt lines { sku quantity } served { order { id number } sku quantity } } } } } }`;

describe('a goods receipt answers which waiting orders it served', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ worker: false });
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "GRN", name: "Grn", leadTimeDays: 9, supplier: "Acme" }) { sku } }`);
  });
  afterAll(async () => h?.stop());

  it('records the receipt, then the worker attaches what it served, with one ALLOCATED event per served order', async () => {
    const po = (
      await h.ok(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id number } }`, {
        input: {
          supplier: 'Acme',
          warehouseCode: 'EAST',
          expectedAt: new Date(Date.now() + 5 * DAY).toISOString(),
          lines: [{ sku: 'GRN', quantity: 10 }],
        },
      })
    ).createPurchaseOrder;
    const place = async (key: string, quantity: number, priority: string) =>
      (
        await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number } }`, {
          input: {
            idempotencyKey: key,
            customerId: key,
            channel: 'web',
            currency: 'EUR',
            shipToRegion: 'EU',
            priority,
            lines: [{ sku: 'GRN', quantity, unitPrice: 1 }],
          },
        })
      ).placeOrder;
    const normal = await place('grn-normal', 8, 'NORMAL');
    const urgent = await place('grn-urgent', 4, 'URGENT');
    await h.startWorker();
    await h.waitFor(async () => {
      const { orders } = await h.ok(`{ orders(first: 10) { edges { node { status } } } }`);
      return orders.edges.every((e: any) => e.node.status === 'BACKORDERED') || null;
    }, 'both orders backordered');

    const feed = await h.subscribe(`subscription { orderEvents { orderId type message } }`, {}, topics(h.config.redisPrefix).orderEvents);
    await h.ok(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { status } }`, {
      input: { purchaseOrderId: po.id, lines: [{ sku: 'GRN', quantity: 10 }] },
    });
    const [receipt] = (await h.waitFor(async () => {
      const { purchaseOrders } = await h.ok(RECEIPTS);
      const purchaseOrder = purchaseOrders.edges.map((e: any) => e.node).find((p: any) => p.id === po.id);
      return purchaseOrder.receipts[0]?.servedAt ? purchaseOrder.receipts : null;
    }, 'the receipt to be served')) as any[];
    expect(receipt).toMatchObject({ warehouseCode: 'EAST', lines: [{ sku: 'GRN', quantity: 10 }] });
    expect(receipt.served).toEqual(
      [
        { order: { id: normal.id, number: normal.number }, sku: 'GRN', quantity: 6 },
        { order: { id: urgent.id, number: urgent.number }, sku: 'GRN', quantity: 4 },
      ].sort((a, b) => b.quantity - a.quantity),
    );

    await h.waitFor(() => feed.received.filter((e) => e.orderEvents.type === 'ALLOCATED').length >= 2 || null, 'the ALLOCATED events');
    await new Promise((r) => setTimeout(r, 300));
    const allocated = feed.received.map((e) => e.orderEvents).filter((e) => e.type === 'ALLOCATED');
    expect(allocated.filter((e) => e.orderId === urgent.id)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('4 reserved at EAST') }),
    ]);
    expect(allocated.filter((e) => e.orderId === normal.id)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('6 reserved at EAST') }),
    ]);
  });

  it('settles a receipt nobody waited for with nothing served', async () => {
    await h.ok(`mutation { upsertProduct(input: { sku: "IDLE", name: "Idle", leadTimeDays: 3 }) { sku } }`);
    const po = (
      await h.ok(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id } }`, {
        input: {
          supplier: 'Acme',
          warehouseCode: 'EAST',
          expectedAt: new Date(Date.now() + DAY).toISOString(),
          lines: [{ sku: 'IDLE', quantity: 3 }],
        },
      })
    ).createPurchaseOrder;
    await h.ok(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { status } }`, {
      input: { purchaseOrderId: po.id, lines: [{ sku: 'IDLE', quantity: 3 }] },
    });
    const receipt: any = await h.waitFor(async () => {
      const { purchaseOrders } = await h.ok(RECEIPTS);
      const found = purchaseOrders.edges.map((e: any) => e.node).find((p: any) => p.id === po.id)?.receipts[0];
      return found?.servedAt ? found : null;
    }, 'the idle receipt to be settled');
    expect(receipt).toMatchObject({ lines: [{ sku: 'IDLE', quantity: 3 }], served: [] });
  });
});
