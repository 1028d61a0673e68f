import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';

const DAY = 86_400_000;

const BACKORDERS = `query($filter: BackorderFilter) {
  backorders(filter: $filter, first: 50) {
    totalCount
    edges { node {
      orderNumber sku backorderedQuantity warehouseCode coveredQuantity uncoveredQuantity coverage ageDays overdue channel description
      supply { kind quantity warehouseCode queuePosition unitsAhead description purchaseOrder { id number } transfer { id number } }
    } }
  }
}`;

describe('backorders pegged to their supply, with a queue position, filters and totals', () => {
  let h: Harness;
  let po: { id: string; number: string };
  const orders: Record<'a' | 'b' | 'c', { id: string; number: string }> = {} as any;

  const place = async (key: string, input: Record<string, unknown>) =>
    (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number } }`, {
        input: { idempotencyKey: key, currency: 'EUR', shipToRegion: 'EU', ...input },
      })
    ).placeOrder;
  const list = async (filter: Record<string, unknown> | null) => (await h.ok(BACKORDERS, { filter })).backorders;
  const numbers = async (filter: Record<string, unknown> | null) =>
    (await list(filter)).edges.map((e: any) => `${e.node.orderNumber}:${e.node.sku}`).sort();
  const n = (key: 'a' | 'b' | 'c', sku: string) => `${orders[key].number}:${sku}`;

  beforeAll(async () => {
    // No worker yet: all three orders are planned in one batch, so the queue is the planner's precedence alone.
    h = await Harness.start({ worker: false });
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 3, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Mug", leadTimeDays: 14, supplier: "Acme" }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "BOLT", name: "Bolt", leadTimeDays: 5, supplier: "Bolts Inc" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "BOLT", warehouseCode: "WEST", delta: 1, reason: "count" }) { onHand } }`);
    po = (
      await h.ok(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id number } }`, {
        input: {
          supplier: 'Acme',
          warehouseCode: 'EAST',
          expectedAt: new Date(Date.now() + 7 * DAY).toISOString(),
          lines: [{ sku: 'MUG', quantity: 12 }],
        },
      })
    ).createPurchaseOrder;
    orders.a = await place('peg-a', { customerId: 'c-1', channel: 'web', lines: [{ sku: 'MUG', quantity: 20, unitPrice: 5 }] });
    orders.b = await place('peg-b', { customerId: 'c-2', channel: 'phone', priority: 'URGENT', lines: [{ sku: 'MUG', quantity: 5, unitPrice: 5 }] });
    orders.c = await place('peg-c', { customerId: 'c-3', channel: 'b2b', priority: 'LOW', lines: [{ sku: 'BOLT', quantity: 3, unitPrice: 1 }] });
    await h.startWorker();
    await h.waitFor(async () => {
      const { orders: page } = await h.ok(`{ orders(first: 10) { edges { node { status } } } }`);
      return page.edges.every((e: any) => e.node.status !== 'PENDING') || null;
    }, 'the three orders to be planned');
  });
  afterAll(async () => h?.stop());

  it('pegs each backordered quantity to its purchase order line or the lead time, with queue positions', async () => {
    const nodes = new Map((await list(null)).edges.map((e: any) => [`${e.node.orderNumber}:${e.node.sku}`, e.node]));
    const b: any = nodes.get(n('b', 'MUG'));
    expect(b).toMatchObject({
      backorderedQuantity: 5,
      warehouseCode: 'EAST',
      coveredQuantity: 5,
      uncoveredQuantity: 0,
      coverage: 'FULL',
      channel: 'phone',
    });
    expect(b.supply).toEqual([
      expect.objectContaining({
        kind: 'PURCHASE_ORDER',
        quantity: 5,
        warehouseCode: 'EAST',
        queuePosition: 1,
        unitsAhead: 0,
        purchaseOrder: po,
        transfer: null,
      }),
    ]);

    const a: any = nodes.get(n('a', 'MUG'));
    expect(a).toMatchObject({ backorderedQuantity: 20, warehouseCode: 'EAST', coveredQuantity: 7, uncoveredQuantity: 13, coverage: 'PARTIAL' });
    const onPo = a.supply.find((s: any) => s.kind === 'PURCHASE_ORDER');
    const onLeadTime = a.supply.find((s: any) => s.kind === 'LEAD_TIME');
    expect(onPo).toMatchObject({ quantity: 7, queuePosition: 2, unitsAhead: 5, purchaseOrder: po });
    expect(onLeadTime).toMatchObject({ quantity: 13, queuePosition: 1, unitsAhead: 0, purchaseOrder: null, warehouseCode: null });
    expect(a.description).toMatch(
      new RegExp(`^needs 20: 7 covered by ${po.number} \\(expected \\d{4}-\\d\\d-\\d\\d at EAST\\), 13 uncovered \\(supplier lead time`),
    );
    expect(onPo.description).toBe(a.description);

    const c: any = nodes.get(n('c', 'BOLT'));
    expect(c).toMatchObject({
      backorderedQuantity: 2,
      warehouseCode: 'WEST',
      coveredQuantity: 0,
      uncoveredQuantity: 2,
      coverage: 'NONE',
      ageDays: 0,
      overdue: false,
    });
  });

  it('links each waiting allocation to its purchase order', async () => {
    const order = (
      await h.ok(`query($id: ID!) { order(id: $id) { lines { allocations { kind quantity purchaseOrder { id number } transfer { id } } } } }`, {
        id: orders.a.id,
      })
    ).order;
    const allocations = order.lines[0].allocations;
    expect(allocations).toEqual(
      expect.arrayContaining([
        { kind: 'WAIT', quantity: 7, purchaseOrder: po, transfer: null },
        { kind: 'WAIT', quantity: 13, purchaseOrder: null, transfer: null },
      ]),
    );
  });

  it('makes every filter work', async () => {
    const em = h.orm.em.fork();
    await em.execute(`update sales_order set placed_at = now() - interval '10 days' where id = ?`, [orders.c.id]);
    await em.execute(`update order_line set eta = now() - interval '1 day' where order_id = ?`, [orders.a.id]);

    expect(await numbers(null)).toEqual([n('a', 'MUG'), n('b', 'MUG'), n('c', 'BOLT')].sort());
    expect(await numbers({ sku: 'MUG' })).toEqual([n('a', 'MUG'), n('b', 'MUG')].sort());
    expect(await numbers({ customerId: 'c-2' })).toEqual([n('b', 'MUG')]);
    expect(await numbers({ channel: 'b2b' })).toEqual([n('c', 'BOLT')]);
    expect(await numbers({ channel: 'nowhere' })).toEqual([]);
    expect(await numbers({ priority: 'URGENT' })).toEqual([n('b', 'MUG')]);
    expect(await numbers({ warehouseCode: 'EAST' })).toEqual([n('a', 'MUG'), n('b', 'MUG')].sort());
    expect(await numbers({ warehouseCode: 'WEST' })).toEqual([n('c', 'BOLT')]);
    expect(await numbers({ supplier: 'Bolts Inc' })).toEqual([n('c', 'BOLT')]);
    expect(await numbers({ supplier: 'Acme' })).toEqual([n('a', 'MUG'), n('b', 'MUG')].sort());
    expect(await numbers({ purchaseOrderId: po.id })).toEqual([n('a', 'MUG'), n('b', 'MUG')].sort());
    expect(await numbers({ minAgeDays: 5 })).toEqual([n('c', 'BOLT')]);
    expect(await numbers({ minAgeDays: 0 })).toHaveLength(3);
    expect(await numbers({ overdue: true })).toEqual([n('a', 'MUG')]);
    expect(await numbers({ overdue: false })).toEqual([n('b', 'MUG'), n('c', 'BOLT')].sort());
    expect(await numbers({ sku: 'MUG', channel: 'web', overdue: true })).toEqual([n('a', 'MUG')]);

    const aged = (await list({ minAgeDays: 5 })).edges[0].node;
    expect(aged.ageDays).toBe(10);
    expect((await list({ overdue: true })).edges[0].node.overdue).toBe(true);
  });

  it('refuses a malformed filter with BAD_USER_INPUT', async () => {
    expect(errorCode(await h.gql(BACKORDERS, { filter: { minAgeDays: -1 } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(BACKORDERS, { filter: { purchaseOrderId: 'PO-1' } }))).toBe('NOT_FOUND');
  });

  it('totals the demand per SKU', async () => {
    const totals = (
      await h.ok(
        `query($filter: BackorderFilter) { backorderTotals(filter: $filter) {
      sku unitsOwed lines oldestPlacedAt coveredQuantity uncoveredQuantity } }`,
        { filter: null },
      )
    ).backorderTotals;
    expect(totals.map(({ oldestPlacedAt: _o, ...t }: any) => t)).toEqual([
      { sku: 'BOLT', unitsOwed: 2, lines: 1, coveredQuantity: 0, uncoveredQuantity: 2 },
      { sku: 'MUG', unitsOwed: 25, lines: 2, coveredQuantity: 12, uncoveredQuantity: 13 },
    ]);
    const east = (await h.ok(`{ backorderTotals(filter: { warehouseCode: "EAST", priority: URGENT }) { sku unitsOwed } }`)).backorderTotals;
    expect(east).toEqual([{ sku: 'MUG', unitsOwed: 5 }]);
  });

  it('lists a warehouse its own backorders, for staff only', async () => {
    const query = `{ warehouses { code backorders(first: 10) { totalCount edges { node { orderNumber } } } } }`;
    const warehouses = (await h.ok(query, {}, h.token('service'))).warehouses;
    const byCode = new Map(warehouses.map((w: any) => [w.code, w.backorders]));
    expect((byCode.get('EAST') as any).totalCount).toBe(2);
    expect((byCode.get('WEST') as any).edges.map((e: any) => e.node.orderNumber)).toEqual([orders.c.number]);
    expect(errorCode(await h.gql(query, {}, h.token('storefront')))).toBe('FORBIDDEN');
  });

  it('links a transfer, on the allocation and on the backorder supply', async () => {
    await h.ok(`mutation { upsertWarehouse(input: { code: "WEST", name: "West", region: "EU", shippingLanes: [{ region: "EU", days: 3, cost: 5 }],
                                                     transferLanes: [{ toWarehouseCode: "EAST", days: 1, cost: 1 }] }) { id } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "TRF", name: "Trf", leadTimeDays: 6 }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "TRF", warehouseCode: "EAST", delta: 3, reason: "count" }) { onHand } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "TRF", warehouseCode: "WEST", delta: 2, reason: "count" }) { onHand } }`);
    const placed = await place('peg-trf', {
      customerId: 'c-9',
      channel: 'web',
      maxWarehouses: 1,
      lines: [{ sku: 'TRF', quantity: 7, unitPrice: 1 }],
    });
    const order = await h.waitFor(async () => {
      const o = (
        await h.ok(
          `query($id: ID!) { order(id: $id) { status lines { allocations { kind quantity transfer { id number } purchaseOrder { id } } } } }`,
          { id: placed.id },
        )
      ).order;
      return o.status !== 'PENDING' ? o : null;
    }, 'the transfer order to be planned');
    const transfer = order.lines[0].allocations.find((a: any) => a.kind === 'TRANSFER');
    expect(transfer).toMatchObject({ quantity: 2, purchaseOrder: null, transfer: { number: expect.stringMatching(/^TR-\d+$/) } });

    const [node] = (await list({ sku: 'TRF' })).edges.map((e: any) => e.node);
    expect(node).toMatchObject({ backorderedQuantity: 2, coveredQuantity: 0, uncoveredQuantity: 2, coverage: 'NONE', warehouseCode: 'EAST' });
    expect(node.supply).toEqual([
      expect.objectContaining({ kind: 'TRANSFER', quantity: 2, warehouseCode: 'EAST', queuePosition: 1, unitsAhead: 0, transfer: transfer.transfer }),
      expect.objectContaining({ kind: 'LEAD_TIME', quantity: 2, queuePosition: 1, transfer: null }),
    ]);
  });
});
