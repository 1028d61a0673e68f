import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const DAY = 86_400_000;
const isoDay = (value: string | Date) => new Date(value).toISOString().slice(0, 10);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const PARCEL = `kind warehouseCode sourceWarehouseCode supplier purchaseOrderNumber eta shipsNow quantity lines { sku quantity } reason inSplitOrder`;
const OPTIONS = `query($input: DeliveryOptionsInput!) { deliveryOptions(input: $input) {
  fulfilmentPolicy deliverable quantity firstEta eta summary
  deliveries { eta quantity lines { sku quantity } }
  parcels { ${PARCEL} }
  notDeliverable { sku quantity available reason } } }`;
const AVAILABILITY = `query($sku: String!, $quantity: Int!, $region: String) {
  availability(sku: $sku, quantity: $quantity, region: $region) { sku availableNow eta deliverable notDeliverableReason tranches { ${PARCEL} } } }`;

type Cover = { kind: string; sku: string; quantity: number; warehouseCode: string | null; sourceWarehouseCode: string | null; eta?: string };
const key = (c: Cover) => `${c.kind}|${c.sku}|${c.warehouseCode}|${c.sourceWarehouseCode}|${c.eta ?? ''}`;
/** Covers summed per kind, SKU, warehouses (and day), in a stable order. */
const normalise = (covers: Cover[]) => {
  const sums = new Map<string, Cover>();
  for (const c of covers) {
    const existing = sums.get(key(c));
    sums.set(key(c), existing ? { ...existing, quantity: existing.quantity + c.quantity } : { ...c });
  }
  return [...sums.values()].sort((a, b) => key(a).localeCompare(key(b)));
};

/**
 * A cart's delivery options, then the order placed right after with the chosen policy, through the API and the
 * worker: the order's allocations and ETAs are what the option showed, for every way of covering a line.
 */
describe('deliveryOptions: what a storefront is shown is what the order then gets', () => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await Harness.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "HUB", name: "Hub", region: "EU", shippingLanes: [{ region: "EU", days: 1, cost: 4 }] }) { id } }`,
    );
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "NEAR", name: "Near", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 4 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertWarehouse(input: { code: "FAR", name: "Far", region: "US", shippingLanes: [{ region: "EU", days: 6, cost: 9 }],
      transferLanes: [{ toWarehouseCode: "HUB", days: 2, cost: 1 }] }) { id } }`);
  });
  afterAll(async () => h?.stop());

  const product = (sku: string, extra = '', leadTimeDays = 20) =>
    h.ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", leadTimeDays: ${leadTimeDays} ${extra} }) { sku } }`);
  const stock = (sku: string, warehouseCode: string, delta: number) =>
    h.ok(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, { i: { sku, warehouseCode, delta, reason: 'count' } });
  const purchaseOrder = async (sku: string, quantity: number, days: number, warehouseCode = 'HUB') =>
    (
      await h.ok(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id number } }`, {
        i: { supplier: 'Acme', warehouseCode, expectedAt: new Date(Date.now() + days * DAY).toISOString(), lines: [{ sku, quantity }] },
      })
    ).createPurchaseOrder as { id: string; number: string };
  const options = async (lines: Array<[string, number]>, extra: Record<string, unknown> = {}) =>
    (await h.ok(OPTIONS, { input: { region: 'EU', lines: lines.map(([sku, quantity]) => ({ sku, quantity })), ...extra } }, h.token('storefront')))
      .deliveryOptions as any[];
  const orderOf = async (id: string) =>
    (
      await h.ok(
        `query($id: ID!) { order(id: $id) { status splitInto { id } lines { sku quantity eta allocations { kind warehouseCode sourceWarehouseCode quantity eta } } } }`,
        { id },
      )
    ).order;

  /** Places the cart with the option's policy and checks the order against the option; returns the order. */
  const placeAsShown = async (lines: Array<[string, number]>, option: any, extra: Record<string, unknown> = {}) => {
    const id = (
      await h.ok(
        PLACE,
        {
          input: {
            idempotencyKey: `options-${++n}`,
            customerId: `cust-${n}`,
            channel: 'web',
            currency: 'EUR',
            shipToRegion: 'EU',
            fulfilmentPolicy: option.fulfilmentPolicy,
            lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
            ...extra,
          },
        },
        h.token('storefront'),
      )
    ).placeOrder.id as string;
    const order = await h.waitFor(async () => {
      const o = await orderOf(id);
      return o.status !== 'PENDING' ? o : null;
    }, 'the order to be allocated');
    const complete = option.fulfilmentPolicy === 'SHIP_COMPLETE';
    const shown: Cover[] = option.parcels.flatMap((p: any) =>
      p.lines.map((l: any) => ({
        kind: p.kind,
        sku: l.sku,
        quantity: l.quantity,
        warehouseCode: p.warehouseCode,
        sourceWarehouseCode: p.sourceWarehouseCode,
        eta: complete ? undefined : isoDay(p.eta),
      })),
    );
    const got: Cover[] = order.lines.flatMap((l: any) =>
      l.allocations.map((a: any) => ({
        kind: a.kind,
        sku: l.sku,
        quantity: a.quantity,
        warehouseCode: a.warehouseCode,
        sourceWarehouseCode: a.sourceWarehouseCode,
        eta: complete ? undefined : isoDay(a.eta),
      })),
    );
    expect(normalise(got)).toEqual(normalise(shown));
    // Each line's ETA is the last day the option shows for its SKU (SHIP_COMPLETE: the one date of all).
    for (const line of order.lines) {
      const days = option.parcels
        .filter((p: any) => p.lines.some((l: any) => l.sku === line.sku))
        .map((p: any) => isoDay(p.eta))
        .sort();
      expect(isoDay(line.eta)).toBe(days[days.length - 1]);
    }
    if (complete) expect(order.lines.every((l: any) => isoDay(l.eta) === isoDay(option.eta))).toBe(true);
    return order;
  };

  it('pull: ships now from the best warehouse', async () => {
    await product('O-PULL');
    await stock('O-PULL', 'HUB', 5);
    const [partial, complete] = await options([['O-PULL', 3]]);
    expect(partial.parcels).toEqual([expect.objectContaining({ kind: 'PULL', warehouseCode: 'HUB', quantity: 3, shipsNow: true })]);
    expect(partial.summary).toBe(`all 3 by ${isoDay(new Date(Date.now() + DAY))}`);
    expect(complete.eta).toBe(partial.eta);
    const order = await placeAsShown([['O-PULL', 3]], partial);
    expect(order.status).toBe('ALLOCATED');
  });

  it('two warehouses: one parcel from each', async () => {
    await product('O-TWO');
    await stock('O-TWO', 'HUB', 2);
    await stock('O-TWO', 'NEAR', 1);
    const [partial] = await options([['O-TWO', 3]]);
    expect(partial.parcels.map((p: any) => [p.kind, p.warehouseCode, p.quantity])).toEqual([
      ['PULL', 'HUB', 2],
      ['PULL', 'NEAR', 1],
    ]);
    await placeAsShown([['O-TWO', 3]], partial);
  });

  it('transfer: moved into the warehouse that ships the single parcel', async () => {
    await product('O-MOVE');
    await stock('O-MOVE', 'HUB', 2);
    await stock('O-MOVE', 'FAR', 10);
    const [partial] = await options([['O-MOVE', 6]], { maxWarehouses: 1 });
    expect(partial.parcels.map((p: any) => [p.kind, p.warehouseCode, p.sourceWarehouseCode, p.quantity])).toEqual([
      ['PULL', 'HUB', null, 2],
      ['TRANSFER', 'HUB', 'FAR', 4],
    ]);
    await placeAsShown([['O-MOVE', 6]], partial, { maxWarehouses: 1 });
  });

  it('wait on a purchase order', async () => {
    await product('O-PO');
    const po = await purchaseOrder('O-PO', 10, 5);
    const [partial] = await options([['O-PO', 3]]);
    expect(partial.parcels).toEqual([
      expect.objectContaining({ kind: 'WAIT', purchaseOrderNumber: po.number, warehouseCode: 'HUB', quantity: 3, shipsNow: false }),
    ]);
    await placeAsShown([['O-PO', 3]], partial);
  });

  it('wait on the supplier lead time', async () => {
    await product('O-LEAD', 'supplier: "Acme"');
    const [partial] = await options([['O-LEAD', 4]]);
    expect(partial.parcels).toEqual([expect.objectContaining({ kind: 'WAIT', purchaseOrderNumber: null, supplier: 'Acme', quantity: 4 })]);
    expect(isoDay(partial.eta)).toBe(isoDay(new Date(Date.now() + 21 * DAY)));
    await placeAsShown([['O-LEAD', 4]], partial);
  });

  it('drop ship: the supplier ships what stock does not cover', async () => {
    await product('O-DROP', 'dropShip: true, supplier: "DirectCo"', 7);
    await stock('O-DROP', 'HUB', 2);
    const [partial, complete] = await options([['O-DROP', 5]]);
    expect(partial.parcels.map((p: any) => [p.kind, p.warehouseCode ?? p.supplier, p.quantity])).toEqual([
      ['PULL', 'HUB', 2],
      ['DROP_SHIP', 'DirectCo', 3],
    ]);
    // Shipping complete never drop-ships: the rest waits for the lead time instead, and all comes on one date.
    expect(complete.parcels.map((p: any) => p.kind)).toEqual(['PULL', 'WAIT']);
    await placeAsShown([['O-DROP', 5]], partial);
  });

  it('park: SHIP_COMPLETE shows one date for everything, and the parked order gets it', async () => {
    await product('O-PARK-A');
    await product('O-PARK-B');
    await stock('O-PARK-A', 'HUB', 5);
    await purchaseOrder('O-PARK-B', 3, 4);
    const cart: Array<[string, number]> = [
      ['O-PARK-A', 5],
      ['O-PARK-B', 3],
    ];
    const [partial, complete] = await options(cart);
    expect(partial.deliveries.map((d: any) => [d.quantity, isoDay(d.eta)])).toEqual([
      [5, isoDay(new Date(Date.now() + DAY))],
      [3, isoDay(new Date(Date.now() + 5 * DAY))],
    ]);
    expect(complete.deliveries).toEqual([
      {
        eta: complete.eta,
        quantity: 8,
        lines: [
          { sku: 'O-PARK-A', quantity: 5 },
          { sku: 'O-PARK-B', quantity: 3 },
        ],
      },
    ]);
    expect(complete.summary).toBe(`all 8 by ${isoDay(new Date(Date.now() + 5 * DAY))}`);
    const order = await placeAsShown(cart, complete);
    expect(order.status).toBe('ON_HOLD');
  });

  it('three tranches (stock now, the purchase order, the lead time) are each shown, and the order gets all three', async () => {
    await product('O-THREE');
    await stock('O-THREE', 'HUB', 7);
    const po = await purchaseOrder('O-THREE', 3, 8);
    const [partial] = await options([['O-THREE', 12]]);
    expect(partial.deliveries.map((d: any) => [d.quantity, isoDay(d.eta)])).toEqual([
      [7, isoDay(new Date(Date.now() + DAY))],
      [3, isoDay(new Date(Date.now() + 9 * DAY))],
      [2, isoDay(new Date(Date.now() + 21 * DAY))],
    ]);
    const tranches = (await h.ok(AVAILABILITY, { sku: 'O-THREE', quantity: 12, region: 'EU' }, h.token('storefront'))).availability.tranches;
    expect(tranches.map((t: any) => [t.kind, t.quantity, t.purchaseOrderNumber])).toEqual([
      ['PULL', 7, null],
      ['WAIT', 3, po.number],
      ['WAIT', 2, null],
    ]);
    await placeAsShown([['O-THREE', 12]], partial);
  });

  it('SPLIT_ORDER: what ships stays, the rest becomes a second order with the dates shown', async () => {
    await product('O-SPLIT');
    await stock('O-SPLIT', 'HUB', 6);
    await purchaseOrder('O-SPLIT', 20, 6);
    const split = (await options([['O-SPLIT', 10]])).find((o) => o.fulfilmentPolicy === 'SPLIT_ORDER');
    expect(split.parcels.map((p: any) => [p.kind, p.quantity, p.inSplitOrder])).toEqual([
      ['PULL', 6, false],
      ['WAIT', 4, true],
    ]);
    const id = (
      await h.ok(PLACE, {
        input: {
          idempotencyKey: `options-${++n}`,
          customerId: 'c',
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          fulfilmentPolicy: 'SPLIT_ORDER',
          lines: [{ sku: 'O-SPLIT', quantity: 10, unitPrice: 1 }],
        },
      })
    ).placeOrder.id;
    const original = await h.waitFor(async () => ((await orderOf(id)).status === 'ALLOCATED' ? orderOf(id) : null), 'the split');
    expect(original.lines[0].allocations.map((a: any) => [a.kind, a.quantity, isoDay(a.eta)])).toEqual([['PULL', 6, isoDay(split.parcels[0].eta)]]);
    const child = await orderOf(original.splitInto[0].id);
    expect(child.lines[0].allocations.map((a: any) => [a.kind, a.quantity, isoDay(a.eta)])).toEqual([['WAIT', 4, isoDay(split.parcels[1].eta)]]);
  });

  it('a product that may not be backordered says how many can be delivered instead of a date', async () => {
    await h.ok(`mutation { upsertProduct(input: { sku: "O-DENY", name: "Deny", backorderPolicy: DENY }) { sku } }`);
    await stock('O-DENY', 'HUB', 2);
    const [partial, complete] = await options([
      ['O-DENY', 5],
      ['O-PULL', 1],
    ]);
    for (const option of [partial, complete]) {
      expect(option).toMatchObject({ deliverable: false, eta: null, notDeliverable: [{ sku: 'O-DENY', quantity: 5, available: 2 }] });
    }
    const answer = (await h.ok(AVAILABILITY, { sku: 'O-DENY', quantity: 5, region: 'EU' })).availability;
    expect(answer).toMatchObject({ eta: null, deliverable: false, availableNow: 2 });
    const refused = await h.gql(PLACE, {
      input: {
        idempotencyKey: `options-${++n}`,
        customerId: 'c',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku: 'O-DENY', quantity: 5, unitPrice: 1 }],
      },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('a change to stock or to open demand is in the very next answer (the API remembers answers of unchanged rows only)', async () => {
    await product('O-MEMO');
    await stock('O-MEMO', 'HUB', 4);
    const shown = async () => {
      const [partial] = await options([['O-MEMO', 3]]);
      const { availability } = await h.ok(AVAILABILITY, { sku: 'O-MEMO', quantity: 3, region: 'EU' }, h.token('storefront'));
      return { parcels: partial.parcels.map((p: any) => [p.kind, p.warehouseCode, p.quantity]), availableNow: availability.availableNow };
    };
    // Asked twice over the same rows: the second answer comes from the remembered plan, and is the same.
    expect(await shown()).toEqual({ parcels: [['PULL', 'HUB', 3]], availableNow: 4 });
    expect(await shown()).toEqual({ parcels: [['PULL', 'HUB', 3]], availableNow: 4 });
    // An earlier order takes 3 of the 4, then backorders 5 more: the next answers see both.
    const [first] = await options([['O-MEMO', 3]]);
    await placeAsShown([['O-MEMO', 3]], first);
    expect(await shown()).toEqual({
      parcels: [
        ['PULL', 'HUB', 1],
        ['WAIT', null, 2],
      ],
      availableNow: 1,
    });
    const [backorder] = await options([['O-MEMO', 6]]);
    await placeAsShown([['O-MEMO', 6]], backorder);
    expect(await shown()).toEqual({ parcels: [['WAIT', null, 3]], availableNow: 0 });
    // Stock counted in: the backorder goes first (5 of the 8) whether or not the worker has served it yet; the cart gets the 3 left.
    await stock('O-MEMO', 'HUB', 8);
    expect(await shown()).toEqual({ parcels: [['PULL', 'HUB', 3]], availableNow: 3 });
  });

  it('a region no warehouse ships to gets no date: deliveryOptions and availability answer BAD_USER_INPUT', async () => {
    const options = await h.gql(OPTIONS, { input: { region: 'MARS', lines: [{ sku: 'O-PULL', quantity: 1 }] } });
    expect(options.errors?.[0]).toMatchObject({ message: 'No warehouse ships to MARS', extensions: { code: 'BAD_USER_INPUT' } });
    const availability = await h.gql(AVAILABILITY, { sku: 'O-PULL', quantity: 1, region: 'MARS' });
    expect(availability.errors?.[0]).toMatchObject({ message: 'No warehouse ships to MARS', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses bad carts, unknown SKUs, and roles other than storefront, service and admin', async () => {
    const code = async (input: unknown, token = h.token('storefront')) => (await h.gql(OPTIONS, { input }, token)).errors?.[0]?.extensions?.code;
    expect(await code({ region: 'EU', lines: [] })).toBe('BAD_USER_INPUT');
    expect(await code({ region: 'EU', lines: [{ sku: 'O-PULL', quantity: 0 }] })).toBe('BAD_USER_INPUT');
    expect(await code({ region: 'EU', lines: [{ sku: 'O-PULL', quantity: 1 }], maxWarehouses: 0 })).toBe('BAD_USER_INPUT');
    expect(await code({ region: 'EU', lines: [{ sku: 'NOPE', quantity: 1 }] })).toBe('NOT_FOUND');
    const cart = { region: 'EU', lines: [{ sku: 'O-PULL', quantity: 1 }] };
    expect(await code(cart, h.token('service'))).toBeUndefined();
    expect(await code(cart, h.token('admin'))).toBeUndefined();
    expect(await code(cart, h.token('ops'))).toBe('FORBIDDEN');
    expect(await code(cart, h.token('customer', 'c-1'))).toBe('FORBIDDEN');
    expect((await h.gql(OPTIONS, { input: cart }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
