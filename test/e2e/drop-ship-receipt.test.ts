import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

/**
 * A drop-ship receipt is the supplier's delivery to the customer. Received in parts, each part must leave a SHIPPED
 * allocation on the shipment it made, beside the ACTIVE rest: what shipped is accounted for by allocations, not
 * only by the line's counters.
 */
describe('a drop-ship purchase order received in parts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(`mutation { upsertWarehouse(input: { code: "HUB", name: "Hub", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "DS", name: "DS", leadTimeDays: 7, dropShip: true, supplier: "DirectCo" }) { sku } }`);
  });
  afterAll(async () => h?.stop());

  const ORDER = `query($id: ID!) { order(id: $id) { status
    lines { sku quantity allocatedQuantity backorderedQuantity shippedQuantity allocations { kind status quantity } }
    shipments { id status supplier warehouseCode lines { sku quantity } } } }`;
  const order = async (id: string) => (await h.ok(ORDER, { id })).order;
  const receive = (purchaseOrderId: string, quantity: number) =>
    h.ok(`mutation($i: ReceiptInput!) { receivePurchaseOrder(input: $i) { status } }`, { i: { purchaseOrderId, lines: [{ sku: 'DS', quantity }] } });
  const covers = (o: { lines: Array<{ allocations: Array<{ kind: string; status: string; quantity: number }> }> }) =>
    o.lines[0].allocations.map((a) => `${a.kind} ${a.status} ${a.quantity}`).sort();
  /** SHIPPED allocations per shipment, and the shipment lines they should match, from the tables themselves. */
  const shippedBy = async (orderId: string) => {
    const em = h.orm.em.fork();
    const allocations: Array<{ shipment_id: string; quantity: number }> = await em.execute(
      `select shipment_id, sum(quantity)::int as quantity from allocation where order_id = ? and status = 'SHIPPED' group by shipment_id order by shipment_id`,
      [orderId],
    );
    const shipmentLines: Array<{ shipment_id: string; quantity: number }> = await em.execute(
      `select sl.shipment_id, sum(sl.quantity)::int as quantity from shipment_line sl join shipment s on s.id = sl.shipment_id
       where s.order_id = ? group by sl.shipment_id order by sl.shipment_id`,
      [orderId],
    );
    return { allocations, shipmentLines };
  };

  it('writes a SHIPPED allocation for the part received, on its shipment, and keeps the rest ACTIVE', async () => {
    const id = (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: 'ds-1',
          customerId: 'c-ds',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku: 'DS', quantity: 5, unitPrice: 1 }],
        },
      })
    ).placeOrder.id as string;
    await h.waitFor(async () => (covers(await order(id)).includes('DROP_SHIP ACTIVE 5') ? true : null), 'the order to be drop-shipped');
    const pos = (await h.ok(`{ purchaseOrders(filter: { sku: "DS" }) { edges { node { id dropShipOrderId } } } }`)).purchaseOrders.edges;
    expect(pos.map((e: { node: { dropShipOrderId: string } }) => e.node.dropShipOrderId)).toEqual([id]);
    const purchaseOrderId = pos[0].node.id as string;

    expect(await receive(purchaseOrderId, 2)).toEqual({ receivePurchaseOrder: { status: 'PARTIALLY_RECEIVED' } });
    const partly = await order(id);
    expect(partly.lines[0]).toMatchObject({ shippedQuantity: 2, backorderedQuantity: 3 });
    expect(covers(partly)).toEqual(['DROP_SHIP ACTIVE 3', 'DROP_SHIP SHIPPED 2']);
    expect(partly.shipments).toEqual([
      expect.objectContaining({ status: 'SHIPPED', supplier: 'DirectCo', warehouseCode: null, lines: [{ sku: 'DS', quantity: 2 }] }),
    ]);
    const first = await shippedBy(id);
    expect(first.allocations).toEqual(first.shipmentLines);
    expect(first.allocations.map((a) => a.shipment_id)).toEqual([partly.shipments[0].id]);

    expect(await receive(purchaseOrderId, 3)).toEqual({ receivePurchaseOrder: { status: 'RECEIVED' } });
    const done = await order(id);
    expect(done.status).toBe('SHIPPED');
    expect(done.lines[0]).toMatchObject({ shippedQuantity: 5, backorderedQuantity: 0 });
    expect(covers(done)).toEqual(['DROP_SHIP SHIPPED 2', 'DROP_SHIP SHIPPED 3']);
    const both = await shippedBy(id);
    expect(both.allocations).toEqual(both.shipmentLines);
    expect(both.allocations).toHaveLength(2);
  });
});
