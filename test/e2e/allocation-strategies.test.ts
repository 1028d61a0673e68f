import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, ORDER_FIELDS } from '../support/harness';

const DAY = 86_400_000;
const isoDay = (value: string | Date) => new Date(value).toISOString().slice(0, 10);
const KIND_RANK: Record<string, number> = { PULL: 0, TRANSFER: 1, WAIT: 2, DROP_SHIP: 3 };
/** A line's allocations in a stable order: stock first, then what waits. */
const coversOf = (line: any) => [...line.allocations].sort((a: any, b: any) => KIND_RANK[a.kind] - KIND_RANK[b.kind]);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;

/** The six ways of seed 004, each through the API and the worker, on a network of two warehouses. */
describe('allocation strategies', () => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "HUB", name: "Hub", region: "EU", shippingLanes: [{ region: "EU", days: 1, cost: 4 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertWarehouse(input: { code: "FAR", name: "Far", region: "US", shippingLanes: [{ region: "EU", days: 6, cost: 9 }],
      transferLanes: [{ toWarehouseCode: "HUB", days: 2, cost: 1 }] }) { id } }`);
  });
  afterAll(async () => h?.stop());

  const product = (sku: string, extra = '') =>
    h.ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", leadTimeDays: 20 ${extra} }) { sku } }`);
  const stock = (sku: string, warehouseCode: string, delta: number) =>
    h.ok(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, { i: { sku, warehouseCode, delta, reason: 'count' } });
  const place = async (lines: Array<[string, number]>, extra: Record<string, unknown> = {}) =>
    (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: `strategy-${++n}`,
          customerId: `cust-${n}`,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
          ...extra,
        },
      })
    ).placeOrder.id as string;
  const order = async (id: string) =>
    (
      await h.ok(
        `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} priority splitFrom { id } splitInto { id number status lines { sku quantity backorderedQuantity } } } }`,
        { id },
      )
    ).order;
  const settled = (id: string, status: string) =>
    h.waitFor(async () => {
      const o = await order(id);
      return o.status === status ? o : null;
    }, `order ${id} to become ${status}`);
  const purchaseOrder = async (sku: string, quantity: number, days: number, warehouseCode = 'HUB') =>
    (
      await h.ok(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id number } }`, {
        i: { supplier: 'Acme', warehouseCode, expectedAt: new Date(Date.now() + days * DAY).toISOString(), lines: [{ sku, quantity }] },
      })
    ).createPurchaseOrder as { id: string; number: string };
  const receive = (purchaseOrderId: string, sku: string, quantity: number) =>
    h.ok(`mutation($i: ReceiptInput!) { receivePurchaseOrder(input: $i) { status } }`, { i: { purchaseOrderId, lines: [{ sku, quantity }] } });

  it('1. parks a SHIP_COMPLETE order with its stock reserved, and releases it when the rest arrives', async () => {
    await product('PARK-A');
    await product('PARK-B');
    await stock('PARK-A', 'HUB', 5);
    const po = await purchaseOrder('PARK-B', 3, 4);
    const id = await place(
      [
        ['PARK-A', 5],
        ['PARK-B', 3],
      ],
      { fulfilmentPolicy: 'SHIP_COMPLETE' },
    );
    const held = await settled(id, 'ON_HOLD');
    expect(held.holdReason).toMatch(/^Ships complete: waiting for 3 × PARK-B, expected /);
    expect(held.lines.map((l: any) => [l.sku, l.allocatedQuantity, l.backorderedQuantity])).toEqual([
      ['PARK-A', 5, 0],
      ['PARK-B', 0, 3],
    ]);
    expect(new Set(held.lines.map((l: any) => isoDay(l.eta))).size).toBe(1);
    expect(held.shipments).toEqual([expect.objectContaining({ warehouseCode: 'HUB', status: 'PENDING' })]);
    const refused = await h.gql(`mutation($i: ShipInput!) { shipShipment(input: $i) { id } }`, { i: { shipmentId: held.shipments[0].id } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    await receive(po.id, 'PARK-B', 3);
    const released = await settled(id, 'ALLOCATED');
    expect(released.holdReason).toBeNull();
    expect(released.shipments.every((s: any) => s.status === 'READY')).toBe(true);
    expect(released.events.map((e: any) => e.type)).toContain('RELEASED');
  });

  it('2. ships what there is and backorders the rest against the purchase order', async () => {
    await product('PARTIAL');
    await stock('PARTIAL', 'HUB', 4);
    const po = await purchaseOrder('PARTIAL', 10, 5);
    const id = await place([['PARTIAL', 7]]);
    const partial = await settled(id, 'PARTIALLY_ALLOCATED');
    const covers = coversOf(partial.lines[0]).map((a: any) => [a.kind, a.quantity, a.warehouseCode]);
    expect(covers).toEqual([
      ['PULL', 4, 'HUB'],
      ['WAIT', 3, 'HUB'],
    ]);
    expect(coversOf(partial.lines[0])[1].reason).toMatch(new RegExp(`^3 wait for ${po.number}, expected `));
  });

  it('3. SPLIT_ORDER closes the order with what ships and opens a linked order for the rest', async () => {
    await product('SPLIT');
    await stock('SPLIT', 'HUB', 6);
    await purchaseOrder('SPLIT', 20, 6);
    const id = await place([['SPLIT', 10]], { fulfilmentPolicy: 'SPLIT_ORDER' });
    const original = await settled(id, 'ALLOCATED');
    expect(original.lines[0]).toMatchObject({ quantity: 6, allocatedQuantity: 6, backorderedQuantity: 0 });
    expect(original.splitInto).toHaveLength(1);
    const child = original.splitInto[0];
    expect(child).toMatchObject({ status: 'BACKORDERED', lines: [{ sku: 'SPLIT', quantity: 4, backorderedQuantity: 4 }] });
    const full = await order(child.id);
    expect(full.splitFrom).toEqual({ id });
    expect(full.lines[0].allocations).toEqual([expect.objectContaining({ kind: 'WAIT', quantity: 4 })]);
    expect(original.events.find((e: any) => e.type === 'SPLIT').message).toBe(`Split: 4 × SPLIT moved to a new order: ${child.number}`);
  });

  it('4. pulls from several warehouses, one shipment each, when one may ship several parcels', async () => {
    await product('MULTI');
    await stock('MULTI', 'HUB', 3);
    await stock('MULTI', 'FAR', 9);
    await h.ok(`mutation { updateAllocationSettings(input: { preferTransferWithinDays: 0 }) { preferTransferWithinDays } }`);
    try {
      const id = await place([['MULTI', 8]], { maxWarehouses: 2 });
      const allocated = await settled(id, 'ALLOCATED');
      // HUB ships 3 in a day. FAR is 6 days from EU, but a transfer to HUB and on arrives in 3: sooner than a
      // parcel of its own, so it transfers even with preferTransferWithinDays at 0.
      const kinds = coversOf(allocated.lines[0]).map((a: any) => [a.kind, a.quantity, a.warehouseCode, a.sourceWarehouseCode]);
      expect(kinds).toEqual([
        ['PULL', 3, 'HUB', null],
        ['TRANSFER', 5, 'HUB', 'FAR'],
      ]);
    } finally {
      await h.ok(`mutation { updateAllocationSettings(input: { preferTransferWithinDays: 2 }) { preferTransferWithinDays } }`);
    }
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "NEAR", name: "Near", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 4 }] }) { id } }`,
    );
    await product('MULTI2');
    await stock('MULTI2', 'HUB', 3);
    await stock('MULTI2', 'NEAR', 9);
    const id = await place([['MULTI2', 11]], { maxWarehouses: 2 });
    const split = await settled(id, 'ALLOCATED');
    const byWarehouse = Object.fromEntries(split.shipments.map((s: any) => [s.warehouseCode, s.lines[0].quantity]));
    expect(byWarehouse).toEqual({ HUB: 3, NEAR: 8 });
    expect(split.shipments.every((s: any) => s.status === 'READY')).toBe(true);
  });

  it('5. transfers stock into the warehouse that ships the order, and ships once it arrives', async () => {
    await product('MOVE');
    await stock('MOVE', 'HUB', 2);
    await stock('MOVE', 'FAR', 10);
    const id = await place([['MOVE', 6]], { maxWarehouses: 1 });
    const allocated = await settled(id, 'ALLOCATED');
    const transfer = allocated.lines[0].allocations.find((a: any) => a.kind === 'TRANSFER');
    expect(transfer).toMatchObject({ quantity: 4, warehouseCode: 'HUB', sourceWarehouseCode: 'FAR' });
    expect(transfer.reason).toMatch(/^4 transferred from FAR to HUB to ship in one parcel/);
    expect(allocated.shipments).toEqual([expect.objectContaining({ warehouseCode: 'HUB', status: 'PENDING' })]);
    expect(allocated.events.map((e: any) => e.type)).toContain('TRANSFER_CREATED');

    const transfers = (
      await h.ok(
        `{ transfers(filter: { sku: "MOVE" }) { edges { node { id number status fromWarehouseCode toWarehouseCode lines { sku quantity } } } } }`,
      )
    ).transfers.edges;
    expect(transfers).toHaveLength(1);
    const record = transfers[0].node;
    expect(record).toMatchObject({ status: 'PLANNED', fromWarehouseCode: 'FAR', toWarehouseCode: 'HUB', lines: [{ sku: 'MOVE', quantity: 4 }] });
    const levels = async () =>
      (await h.ok(`{ stockLevels(sku: "MOVE") { warehouseCode onHand reserved incoming } }`)).stockLevels.filter(
        (l: any) => l.warehouseCode !== 'NEAR',
      );
    expect(await levels()).toEqual([
      { warehouseCode: 'FAR', onHand: 10, reserved: 4, incoming: 0 },
      { warehouseCode: 'HUB', onHand: 2, reserved: 2, incoming: 4 },
    ]);

    expect(isoDay(allocated.lines[0].eta)).toBe(isoDay(new Date(Date.now() + 3 * DAY)));
    await h.ok(`mutation($id: ID!) { dispatchTransfer(id: $id) { status } }`, { id: record.id });
    await h.ok(`mutation($i: TransferReceiptInput!) { receiveTransfer(input: $i) { status } }`, {
      i: { transferId: record.id, lines: [{ sku: 'MOVE', quantity: 4 }] },
    });
    const arrived = await order(id);
    expect(arrived.shipments).toEqual([expect.objectContaining({ status: 'READY' })]);
    // The transfer arrived two days early: the line's ETA follows it, and the customer is told.
    expect(isoDay(arrived.lines[0].eta)).toBe(isoDay(new Date(Date.now() + DAY)));
    expect(arrived.events.find((e: any) => e.type === 'ETA_CHANGED').message).toBe(
      `ETA of MOVE moved from ${isoDay(allocated.lines[0].eta)} to ${isoDay(arrived.lines[0].eta)}: transfer ${record.number} arrived at HUB`,
    );
    expect(await levels()).toEqual([
      { warehouseCode: 'FAR', onHand: 6, reserved: 0, incoming: 0 },
      { warehouseCode: 'HUB', onHand: 6, reserved: 6, incoming: 0 },
    ]);
    await h.ok(`mutation($i: ShipInput!) { shipShipment(input: $i) { status } }`, { i: { shipmentId: arrived.shipments[0].id } });
    expect((await order(id)).status).toBe('SHIPPED');
  });

  it('6. ships what it can and has the supplier drop-ship the rest', async () => {
    await product('DROP', ', dropShip: true, supplier: "DirectCo"');
    await stock('DROP', 'HUB', 2);
    const id = await place([['DROP', 5]]);
    const partial = await settled(id, 'PARTIALLY_ALLOCATED');
    const drop = partial.lines[0].allocations.find((a: any) => a.kind === 'DROP_SHIP');
    expect(drop).toMatchObject({ quantity: 3, warehouseCode: null });
    expect(drop.reason).toMatch(/^3 drop-shipped by DirectCo straight to the customer/);
    expect(partial.events.map((e: any) => e.type)).toContain('DROP_SHIP_ORDERED');
    const pos = (
      await h.ok(
        `{ purchaseOrders(filter: { sku: "DROP" }) { edges { node { id supplier status dropShipOrderId warehouseCode lines { quantity promisedQuantity } } } } }`,
      )
    ).purchaseOrders.edges;
    expect(pos).toHaveLength(1);
    expect(pos[0].node).toMatchObject({
      supplier: 'DirectCo',
      status: 'OPEN',
      dropShipOrderId: id,
      warehouseCode: null,
      lines: [{ quantity: 3, promisedQuantity: 3 }],
    });

    await h.ok(`mutation($i: ShipInput!) { shipShipment(input: $i) { status } }`, { i: { shipmentId: partial.shipments[0].id } });
    await receive(pos[0].node.id, 'DROP', 3);
    const done = await order(id);
    expect(done.status).toBe('SHIPPED');
    expect(done.lines[0]).toMatchObject({ shippedQuantity: 5, backorderedQuantity: 0 });
    expect(done.shipments.map((s: any) => s.status)).toEqual(['SHIPPED', 'SHIPPED']);
  });

  it('does not cancel drop-shipped units (the supplier already ships them), only the rest', async () => {
    await product('DROP-CANCEL', ', dropShip: true, supplier: "DirectCo"');
    await stock('DROP-CANCEL', 'HUB', 1);
    const id = await place([['DROP-CANCEL', 4]]);
    await settled(id, 'PARTIALLY_ALLOCATED');
    const cancel = `mutation($id: ID!, $q: Int) { cancelOrderLine(orderId: $id, sku: "DROP-CANCEL", quantity: $q) { id } }`;
    const refused = await h.gql(cancel, { id, q: 4 });
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toMatch(/^Only 1 of DROP-CANCEL can still be cancelled/);
    await h.ok(cancel, { id, q: null });
    const after = await order(id);
    expect(after.lines[0]).toMatchObject({ quantity: 4, allocatedQuantity: 0, backorderedQuantity: 3, cancelledQuantity: 1 });
    expect(after.lines[0].allocations.filter((a: any) => a.kind === 'DROP_SHIP').map((a: any) => a.quantity)).toEqual([3]);
  });

  it('serves a goods receipt by priority: an URGENT order placed later is filled before an older NORMAL one', async () => {
    await product('SCARCE');
    const po = await purchaseOrder('SCARCE', 10, 8);
    const older = await place([['SCARCE', 3]]);
    await settled(older, 'BACKORDERED');
    const urgent = await place([['SCARCE', 3]], { priority: 'URGENT' });
    await settled(urgent, 'BACKORDERED');
    const backorders = (await h.ok(`{ backorders(filter: { sku: "SCARCE" }) { edges { node { orderId priority backorderedQuantity } } } }`))
      .backorders.edges;
    expect(backorders.map((e: any) => e.node.orderId)).toEqual([urgent, older]);

    await receive(po.id, 'SCARCE', 4);
    const first = await settled(urgent, 'ALLOCATED');
    const second = await settled(older, 'PARTIALLY_ALLOCATED');
    expect(first.lines[0].allocatedQuantity).toBe(3);
    expect(second.lines[0]).toMatchObject({ allocatedQuantity: 1, backorderedQuantity: 2 });
  });

  it('moves waiting lines with the purchase order date and tells them (ETA_CHANGED)', async () => {
    await product('LATE');
    const po = await purchaseOrder('LATE', 5, 3);
    const id = await place([['LATE', 2]]);
    const before = await settled(id, 'BACKORDERED');
    const newDate = new Date(Date.now() + 12 * DAY);
    await h.ok(`mutation($i: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $i) { expectedAt } }`, {
      i: { id: po.id, expectedAt: newDate.toISOString() },
    });
    const moved = await h.waitFor(async () => {
      const o = await order(id);
      return o.events.some((e: any) => e.type === 'ETA_CHANGED') ? o : null;
    }, 'the ETA to move');
    expect(isoDay(moved.lines[0].eta)).toBe(isoDay(new Date(newDate.getTime() + DAY)));
    expect(moved.events.find((e: any) => e.type === 'ETA_CHANGED').message).toBe(
      `ETA of LATE moved from ${isoDay(before.lines[0].eta)} to ${isoDay(moved.lines[0].eta)}`,
    );
  });

  it('cancelling reserved units frees them for the next backorder at once', async () => {
    await product('CANCEL');
    await stock('CANCEL', 'HUB', 2);
    const first = await place([['CANCEL', 2]]);
    await settled(first, 'ALLOCATED');
    const second = await place([['CANCEL', 2]]);
    await settled(second, 'BACKORDERED');
    const cancelled = (
      await h.ok(
        `mutation($id: ID!) { cancelOrderLine(orderId: $id, sku: "CANCEL") { status lines { cancelledQuantity allocatedQuantity } shipments { status } } }`,
        { id: first },
      )
    ).cancelOrderLine;
    expect(cancelled).toEqual({ status: 'CANCELLED', lines: [{ cancelledQuantity: 2, allocatedQuantity: 0 }], shipments: [{ status: 'CANCELLED' }] });
    const served = await settled(second, 'ALLOCATED');
    expect(served.lines[0].allocatedQuantity).toBe(2);
  });

  it('a confirmed reorder suggestion becomes the supply backorders wait on, and the console sees them pegged to it', async () => {
    await product('REORDER', ', reorderQuantity: 20, supplier: "Acme"');
    const id = await place([['REORDER', 4]]);
    const waiting = await settled(id, 'BACKORDERED');
    expect(waiting.lines[0].allocations[0].reason).toMatch(/no purchase order is open/);
    const suggestion = (
      await h.ok(`{ purchaseOrders(filter: { suggested: true, sku: "REORDER" }) { edges { node { id status supplier lines { quantity } } } } }`)
    ).purchaseOrders.edges[0].node;
    expect(suggestion).toMatchObject({ status: 'DRAFT', supplier: 'Acme', lines: [{ quantity: 24 }] });

    const expectedAt = new Date(Date.now() + 9 * DAY);
    const confirmed = (
      await h.ok(`mutation($i: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $i) { status number } }`, {
        i: { id: suggestion.id, status: 'OPEN', expectedAt: expectedAt.toISOString() },
      })
    ).updatePurchaseOrder;
    expect(confirmed.status).toBe('OPEN');
    const pegged = await h.waitFor(async () => {
      const o = await order(id);
      return o.lines[0].allocations[0]?.reason.startsWith(`4 wait for ${confirmed.number}`) ? o : null;
    }, 'the backorder to wait on the confirmed purchase order');
    expect(isoDay(pegged.lines[0].eta)).toBe(isoDay(new Date(expectedAt.getTime() + DAY)));
    const console = (
      await h.ok(
        `{ backorders(filter: { sku: "REORDER" }) { totalCount edges { node { orderNumber backorderedQuantity order { id status } line { sku allocations { kind reason } } } } } }`,
        {},
        h.token('service'),
      )
    ).backorders;
    expect(console.totalCount).toBe(1);
    expect(console.edges[0].node).toMatchObject({ backorderedQuantity: 4, order: { id, status: 'BACKORDERED' }, line: { sku: 'REORDER' } });
    expect(console.edges[0].node.line.allocations[0].reason).toMatch(new RegExp(`^4 wait for ${confirmed.number}`));
    const wrong = await h.gql(`mutation($i: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $i) { status } }`, {
      i: { id: suggestion.id, status: 'DRAFT' },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('plans open backorders again when the allocation settings change', async () => {
    await product('LATER-DROP', ', dropShip: true, supplier: "DirectCo"');
    await h.ok(`mutation { updateAllocationSettings(input: { allowDropShip: false }) { allowDropShip } }`);
    try {
      const id = await place([['LATER-DROP', 2]]);
      const waiting = await settled(id, 'BACKORDERED');
      expect(waiting.lines[0].allocations.map((a: any) => a.kind)).toEqual(['WAIT']);
      await h.ok(`mutation { updateAllocationSettings(input: { allowDropShip: true }) { allowDropShip } }`);
      const dropped = await h.waitFor(async () => {
        const o = await order(id);
        return o.lines[0].allocations.some((a: any) => a.kind === 'DROP_SHIP') ? o : null;
      }, 'the backorder to be drop-shipped under the new settings');
      expect(dropped.lines[0].allocations.map((a: any) => [a.kind, a.quantity])).toEqual([['DROP_SHIP', 2]]);
      expect(dropped.events.map((e: any) => e.type)).toContain('DROP_SHIP_ORDERED');
    } finally {
      await h.ok(`mutation { updateAllocationSettings(input: { allowDropShip: true }) { allowDropShip } }`);
    }
  });

  it('a lower stock count can release reservations, newest orders first, and plans them again', async () => {
    await product('COUNTED');
    await stock('COUNTED', 'HUB', 5);
    const older = await place([['COUNTED', 3]]);
    await settled(older, 'ALLOCATED');
    const newer = await place([['COUNTED', 2]]);
    const allocated = await settled(newer, 'ALLOCATED');
    const lower = `mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand reserved } }`;
    const refused = await h.gql(lower, { i: { sku: 'COUNTED', warehouseCode: 'HUB', delta: -2, reason: 'damaged' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const counted = (await h.ok(lower, { i: { sku: 'COUNTED', warehouseCode: 'HUB', delta: -2, reason: 'damaged', releaseReservations: true } }))
      .adjustStock;
    expect(counted).toEqual({ onHand: 3, reserved: 3 });
    const replanned = await h.waitFor(async () => {
      const o = await order(newer);
      return o.lines[0].allocations.some((a: any) => a.kind === 'WAIT') ? o : null;
    }, 'the released units to be planned again');
    expect(replanned.status).toBe('BACKORDERED');
    expect(replanned.lines[0]).toMatchObject({ allocatedQuantity: 0, backorderedQuantity: 2 });
    expect(replanned.lines[0].allocations.filter((a: any) => a.kind === 'WAIT').map((a: any) => a.quantity)).toEqual([2]);
    expect(replanned.shipments.find((s: any) => s.id === allocated.shipments[0].id).status).toBe('CANCELLED');
    expect(replanned.events.find((e: any) => e.message.includes('no longer reserved')).message).toBe(
      '2 × COUNTED no longer reserved at HUB: stock at HUB counted 2 lower (damaged); planning again',
    );
    expect((await order(older)).lines[0]).toMatchObject({ allocatedQuantity: 3, backorderedQuantity: 0 });
  });
});
