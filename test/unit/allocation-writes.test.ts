import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllocationKind } from '../../src/allocation/allocation.enums';
import type { AllocationPlan, OrderPlan, PlannedCover, ReorderSuggestion } from '../../src/allocation/planning.types';
import { allocationWritesOf, nameSplitOrders, orderStatusOf, stockTakenBy, touchedStockOf } from '../../src/allocation/writes/allocation-writes';
import type { BatchFacts } from '../../src/allocation/writes/batch-facts';
import { ordersWithShipments } from '../../src/allocation/writes/shipments';
import type { PendingShipment } from '../../src/allocation/writes/write-rows';
import { OrderEventType, OrderStatus } from '../../src/orders/order.enums';
import { NOW, day, product, warehouse } from '../support/planning-fixtures';

/** Ids id-1, id-2, … in the order asked for. */
const counter = () => {
  let n = 0;
  return () => `id-${++n}`;
};

function cover(kind: AllocationKind, lineId: string, quantity: number, overrides: Partial<PlannedCover> = {}): PlannedCover {
  return {
    lineId,
    sku: 'S1',
    kind,
    quantity,
    warehouseCode: null,
    sourceWarehouseCode: null,
    supplyId: null,
    supplier: null,
    eta: day(2),
    reason: `${quantity} ${kind.toLowerCase()}`,
    ...overrides,
  };
}
const pull = (lineId: string, quantity: number, warehouseCode: string, o: Partial<PlannedCover> = {}) =>
  cover(AllocationKind.PULL, lineId, quantity, { warehouseCode, ...o });
const transfer = (lineId: string, quantity: number, from: string, to: string, o: Partial<PlannedCover> = {}) =>
  cover(AllocationKind.TRANSFER, lineId, quantity, { warehouseCode: to, sourceWarehouseCode: from, ...o });
const wait = (lineId: string, quantity: number, o: Partial<PlannedCover> = {}) => cover(AllocationKind.WAIT, lineId, quantity, o);
const dropShip = (lineId: string, quantity: number, supplier: string, o: Partial<PlannedCover> = {}) =>
  cover(AllocationKind.DROP_SHIP, lineId, quantity, { supplier, ...o });

function orderPlan(orderId: string, covers: PlannedCover[], overrides: Partial<OrderPlan> = {}): OrderPlan {
  const lineIds = [...new Set(covers.map((c) => c.lineId))];
  return {
    orderId,
    status: OrderStatus.ALLOCATED,
    holdReason: null,
    lines: lineIds.map((lineId) => ({ lineId, quantity: 10, allocatedQuantity: 10, backorderedQuantity: 0, eta: day(2) })),
    covers,
    split: null,
    events: [],
    ...overrides,
  };
}

function factsOf(plan: AllocationPlan, extra: Partial<BatchFacts['snapshot']> = {}): BatchFacts {
  const orders = new Map(plan.orders.map((o, i) => [o.orderId, { customerId: `c-${o.orderId}`, number: String(100 + i) }]));
  const lines = new Map(plan.orders.flatMap((o) => o.covers.map((c) => [c.lineId, { unitPrice: '9.50' }] as const)));
  return { orders, lines, snapshot: { warehouses: [], products: [], ...extra } };
}

const writesOf = (plan: AllocationPlan, pending: PendingShipment[] = [], facts = factsOf(plan)) =>
  allocationWritesOf(plan, facts, pending, NOW, counter());

describe('allocationWritesOf', () => {
  describe('split orders', () => {
    const original = orderPlan(
      'O1',
      [pull('L1', 70, 'A'), wait('L1', 20, { eta: day(9) }), wait('L1', 10, { eta: day(12), supplyId: 'P1' }), pull('L2', 5, 'A')],
      {
        split: { lines: [{ fromLineId: 'L1', sku: 'S1', quantity: 30 }] },
        events: [
          { type: OrderEventType.ALLOCATED, message: 'allocated' },
          { type: OrderEventType.SPLIT, message: 'SPLIT: 30 × S1 moved to a new order' },
        ],
      },
    );
    const plan: AllocationPlan = { orders: [original], reorderSuggestions: [] };

    it('makes a new order from the original with a line per split line, its ETA the latest wait that moves', () => {
      const writes = writesOf(plan);
      expect(writes.splitOrders).toEqual([{ id: 'id-1', split_from_id: 'O1' }]);
      expect(writes.splitOrderLines).toEqual([
        { id: 'id-2', order_id: 'id-1', line_no: 1, sku: 'S1', quantity: 30, unit_price: '9.50', eta: day(12) },
      ]);
    });

    it('moves the WAIT covers to the new line and leaves the reservations on the original', () => {
      const rows = writesOf(plan).allocations.map((a) => [a.kind, a.order_id, a.order_line_id, a.quantity]);
      expect(rows).toEqual([
        ['PULL', 'O1', 'L1', 70],
        ['WAIT', 'id-1', 'id-2', 20],
        ['WAIT', 'id-1', 'id-2', 10],
        ['PULL', 'O1', 'L2', 5],
      ]);
    });

    it('places the new order on its timeline and names it in the SPLIT event once its number is known', () => {
      const writes = writesOf(plan);
      const named = nameSplitOrders(writes.events, new Map([['id-1', '7']]));
      expect(named.map((e) => [e.orderId, e.type, e.status, e.message])).toEqual([
        ['O1', OrderEventType.ALLOCATED, OrderStatus.ALLOCATED, 'allocated'],
        ['O1', OrderEventType.SPLIT, OrderStatus.ALLOCATED, 'SPLIT: 30 × S1 moved to a new order: SO-7'],
        ['id-1', OrderEventType.PLACED, OrderStatus.BACKORDERED, 'Split from SO-100: 30 × S1'],
        ['id-1', OrderEventType.BACKORDERED, OrderStatus.BACKORDERED, 'S1: 20 wait; S1: 10 wait'],
        ['O1', OrderEventType.SHIPMENT_CREATED, OrderStatus.ALLOCATED, 'Shipment from A with 75 units'],
      ]);
      expect(named.every((e) => !('namesSplitOrderId' in e))).toBe(true);
      expect(() => nameSplitOrders(writes.events, new Map())).toThrow(/id-1/);
    });

    it('does not change the plan it is given', () => {
      const before = structuredClone(plan);
      nameSplitOrders(writesOf(plan).events, new Map([['id-1', '7']]));
      expect(plan).toEqual(before);
    });

    it('writes nothing of a split for an order that is not split', () => {
      const writes = writesOf({ orders: [orderPlan('O1', [pull('L1', 1, 'A'), wait('L1', 2)])], reorderSuggestions: [] });
      expect(writes.splitOrders).toEqual([]);
      expect(writes.splitOrderLines).toEqual([]);
      expect(writes.allocations.map((a) => a.order_id)).toEqual(['O1', 'O1']);
    });
  });

  describe('transfers', () => {
    const facts = (plan: AllocationPlan) =>
      factsOf(plan, { warehouses: [warehouse('FAR', { transfer: { HUB: 2, EDGE: 5 } }), warehouse('HUB'), warehouse('EDGE')] });

    it("groups every order's transfers per lane, sums lines by SKU and dates each by its lane's days", () => {
      const plan: AllocationPlan = {
        orders: [
          orderPlan('O1', [transfer('L1', 4, 'FAR', 'HUB'), transfer('L2', 1, 'FAR', 'EDGE', { sku: 'S2' })]),
          orderPlan('O2', [transfer('L3', 3, 'FAR', 'HUB'), transfer('L4', 2, 'FAR', 'HUB', { sku: 'S2' })]),
        ],
        reorderSuggestions: [],
      };
      const writes = writesOf(plan, [], facts(plan));
      const [toHub, toEdge] = writes.transfers;
      expect(writes.transfers).toEqual([
        { id: toHub!.id, from: 'FAR', to: 'HUB', expected_at: day(2) },
        { id: toEdge!.id, from: 'FAR', to: 'EDGE', expected_at: day(5) },
      ]);
      expect(writes.transferLines.map((l) => [l.transfer_id, l.sku, l.quantity])).toEqual([
        [toHub!.id, 'S1', 7],
        [toHub!.id, 'S2', 2],
        [toEdge!.id, 'S2', 1],
      ]);
      expect(writes.allocations.map((a) => a.transfer_id)).toEqual([toHub!.id, toEdge!.id, toHub!.id, toHub!.id]);
    });

    it('dates a transfer on a lane the snapshot does not know for now', () => {
      const plan: AllocationPlan = { orders: [orderPlan('O1', [transfer('L1', 4, 'HUB', 'FAR')])], reorderSuggestions: [] };
      expect(writesOf(plan, [], facts(plan)).transfers[0]!.expected_at).toEqual(NOW);
    });
  });

  describe('drop-ship purchase orders', () => {
    it('raises one per order and supplier, lines summed by SKU, expected at the latest cover ETA', () => {
      const plan: AllocationPlan = {
        orders: [
          orderPlan('O1', [
            dropShip('L1', 2, 'DirectCo', { eta: day(7) }),
            dropShip('L2', 3, 'DirectCo', { eta: day(9), sku: 'S2' }),
            dropShip('L3', 1, 'DirectCo', { eta: day(8) }),
            dropShip('L4', 4, 'OtherCo', { eta: day(3) }),
          ]),
          orderPlan('O2', [dropShip('L5', 6, 'DirectCo', { eta: day(7) })]),
        ],
        reorderSuggestions: [],
      };
      const writes = writesOf(plan);
      expect(writes.purchaseOrders.map((p) => [p.status, p.supplier, p.drop_ship_order_id, p.warehouse_code, p.suggested, p.expected_at])).toEqual([
        ['OPEN', 'DirectCo', 'O1', null, false, day(9)],
        ['OPEN', 'OtherCo', 'O1', null, false, day(3)],
        ['OPEN', 'DirectCo', 'O2', null, false, day(7)],
      ]);
      const poOf = new Map(writes.purchaseOrders.map((p, i) => [p.id, i]));
      expect(writes.purchaseOrderLines.map((l) => [poOf.get(l.purchase_order_id), l.sku, l.quantity])).toEqual([
        [0, 'S1', 3],
        [0, 'S2', 3],
        [1, 'S1', 4],
        [2, 'S1', 6],
      ]);
      const lineOf = new Map(writes.purchaseOrderLines.map((l) => [l.id, l]));
      expect(
        writes.allocations.map((a) => {
          const line = lineOf.get(a.purchase_order_line_id!)!;
          return [a.order_line_id, poOf.get(line.purchase_order_id), line.sku];
        }),
      ).toEqual([
        ['L1', 0, 'S1'],
        ['L2', 0, 'S2'],
        ['L3', 0, 'S1'],
        ['L4', 1, 'S1'],
        ['L5', 2, 'S1'],
      ]);
    });

    it('is never expected before now', () => {
      const plan: AllocationPlan = { orders: [orderPlan('O1', [dropShip('L1', 2, 'DirectCo', { eta: day(-3) })])], reorderSuggestions: [] };
      expect(writesOf(plan).purchaseOrders[0]!.expected_at).toEqual(NOW);
    });
  });

  describe('shipments', () => {
    const plan: AllocationPlan = {
      orders: [
        orderPlan('O1', [pull('L1', 1, 'A'), transfer('L2', 2, 'FAR', 'A'), pull('L3', 3, 'B'), wait('L4', 4), dropShip('L5', 5, 'DirectCo')]),
        orderPlan('O2', [pull('L6', 6, 'A')], { status: OrderStatus.ON_HOLD }),
      ],
      reorderSuggestions: [],
    };

    it('starts one per order and shipping warehouse, with a line per PULL or TRANSFER cover and an event', () => {
      const writes = writesOf(plan);
      expect(writes.shipments.map((s) => [s.order_id, s.warehouse_code])).toEqual([
        ['O1', 'A'],
        ['O1', 'B'],
        ['O2', 'A'],
      ]);
      const shipmentOf = new Map(writes.shipments.map((s) => [s.id, `${s.order_id}@${s.warehouse_code}`]));
      expect(writes.shipmentLines.map((l) => [shipmentOf.get(l.shipment_id), l.order_line_id, l.quantity])).toEqual([
        ['O1@A', 'L1', 1],
        ['O1@A', 'L2', 2],
        ['O1@B', 'L3', 3],
        ['O2@A', 'L6', 6],
      ]);
      expect(writes.allocations.map((a) => (a.shipment_id ? shipmentOf.get(a.shipment_id) : null))).toEqual([
        'O1@A',
        'O1@A',
        'O1@B',
        null,
        null,
        'O2@A',
      ]);
      expect(writes.events.map((e) => [e.orderId, e.type, e.status, e.message])).toEqual([
        ['O1', OrderEventType.SHIPMENT_CREATED, OrderStatus.ALLOCATED, 'Shipment from A with 3 units'],
        ['O1', OrderEventType.SHIPMENT_CREATED, OrderStatus.ALLOCATED, 'Shipment from B with 3 units'],
        ['O2', OrderEventType.SHIPMENT_CREATED, OrderStatus.ON_HOLD, 'Shipment from A with 6 units'],
      ]);
    });

    it('joins the earliest pending shipment of the order and warehouse, with no new shipment nor event for it', () => {
      const pending: PendingShipment[] = [
        { id: 'SH-late', orderId: 'O1', warehouseCode: 'A', createdAt: day(-1) },
        { id: 'SH-early', orderId: 'O1', warehouseCode: 'A', createdAt: day(-2) },
        { id: 'SH-other-order', orderId: 'O9', warehouseCode: 'B', createdAt: day(-2) },
      ];
      const writes = writesOf(plan, pending);
      expect(writes.shipments.map((s) => [s.order_id, s.warehouse_code])).toEqual([
        ['O1', 'B'],
        ['O2', 'A'],
      ]);
      expect(writes.shipmentLines.filter((l) => l.shipment_id === 'SH-early').map((l) => l.order_line_id)).toEqual(['L1', 'L2']);
      expect(writes.allocations.filter((a) => a.shipment_id === 'SH-early').map((a) => a.order_line_id)).toEqual(['L1', 'L2']);
      expect(writes.events.map((e) => e.message)).toEqual(['Shipment from B with 3 units', 'Shipment from A with 6 units']);
    });

    it('reads pending shipments only of orders it ships something of', () => {
      const waits = orderPlan('O3', [wait('L7', 1), dropShip('L8', 1, 'DirectCo')]);
      expect(ordersWithShipments([...plan.orders, waits])).toEqual(['O1', 'O2']);
    });
  });

  describe('order versions', () => {
    it('marks an order changed when it reserves, splits or says something, not when it only re-confirms waits', () => {
      const waits = orderPlan('O1', [wait('L1', 3)], { status: OrderStatus.BACKORDERED });
      expect(orderStatusOf(waits)).toEqual({ id: 'O1', status: OrderStatus.BACKORDERED, hold_reason: null, changed: false });
      expect(orderStatusOf({ ...waits, events: [{ type: OrderEventType.ETA_CHANGED, message: 'moved' }] }).changed).toBe(true);
      expect(orderStatusOf({ ...waits, split: { lines: [] } }).changed).toBe(true);
      expect(orderStatusOf({ ...waits, covers: [pull('L1', 1, 'A')] }).changed).toBe(true);
      expect(orderStatusOf({ ...waits, covers: [dropShip('L1', 1, 'DirectCo')] }).changed).toBe(true);
      expect(orderStatusOf({ ...waits, covers: [] }).changed).toBe(false);
      expect(orderStatusOf({ ...waits, status: OrderStatus.ON_HOLD, holdReason: 'Ships complete' })).toMatchObject({
        status: 'ON_HOLD',
        hold_reason: 'Ships complete',
      });
    });

    it('writes every planned line as planned', () => {
      const plan: AllocationPlan = {
        orders: [
          {
            ...orderPlan('O1', [pull('L1', 7, 'A')]),
            lines: [{ lineId: 'L1', quantity: 7, allocatedQuantity: 7, backorderedQuantity: 0, eta: null }],
          },
        ],
        reorderSuggestions: [],
      };
      expect(writesOf(plan).orderLines).toEqual([{ id: 'L1', quantity: 7, allocated: 7, backordered: 0, eta: null }]);
    });
  });

  describe('touched stock', () => {
    it('names each stock row a PULL or TRANSFER reserves from once, and none for waits or drop ships', () => {
      const plan: AllocationPlan = {
        orders: [
          orderPlan('O1', [pull('L1', 1, 'A'), transfer('L2', 2, 'FAR', 'A'), wait('L3', 1, { warehouseCode: 'W' }), dropShip('L4', 1, 'DirectCo')]),
          orderPlan('O2', [pull('L5', 1, 'A'), pull('L6', 1, 'A', { sku: 'S2' })]),
        ],
        reorderSuggestions: [],
      };
      expect(writesOf(plan).touchedStock).toEqual([
        { sku: 'S1', warehouseCode: 'A' },
        { sku: 'S1', warehouseCode: 'FAR' },
        { sku: 'S2', warehouseCode: 'A' },
      ]);
    });
  });

  describe('stock taken', () => {
    it('sums the units each stock row gives: PULLs from their warehouse, TRANSFERs from their source, nothing for waits or drop ships', () => {
      const covers = [
        pull('L1', 2, 'A'),
        transfer('L2', 3, 'FAR', 'A'),
        pull('L3', 4, 'A'),
        transfer('L4', 1, 'A', 'B'),
        wait('L5', 5, { warehouseCode: 'A' }),
        dropShip('L6', 6, 'DirectCo'),
        pull('L7', 1, 'A', { sku: 'S2' }),
      ];
      expect(stockTakenBy(covers)).toEqual([
        { sku: 'S1', warehouseCode: 'A', quantity: 7 },
        { sku: 'S1', warehouseCode: 'FAR', quantity: 3 },
        { sku: 'S2', warehouseCode: 'A', quantity: 1 },
      ]);
    });

    it('takes exactly the units of the PULL and TRANSFER covers, over random covers', () => {
      const anyCover = fc.record({
        kind: fc.constantFrom(AllocationKind.PULL, AllocationKind.TRANSFER, AllocationKind.WAIT, AllocationKind.DROP_SHIP),
        sku: fc.constantFrom('S1', 'S2'),
        quantity: fc.integer({ min: 1, max: 9 }),
        from: fc.constantFrom('A', 'B', 'C'),
        to: fc.constantFrom('A', 'B', 'C'),
      });
      fc.assert(
        fc.property(fc.array(anyCover, { maxLength: 20 }), (drawn) => {
          const covers = drawn.map((d, i) =>
            d.kind === AllocationKind.TRANSFER
              ? transfer(`L${i}`, d.quantity, d.from, d.to, { sku: d.sku })
              : cover(d.kind, `L${i}`, d.quantity, { sku: d.sku, warehouseCode: d.kind === AllocationKind.DROP_SHIP ? null : d.to }),
          );
          const taken = stockTakenBy(covers);
          const reserving = drawn.filter((d) => d.kind === AllocationKind.PULL || d.kind === AllocationKind.TRANSFER);
          expect(taken.reduce((s, t) => s + t.quantity, 0)).toBe(reserving.reduce((s, d) => s + d.quantity, 0));
          expect(new Set(taken.map((t) => `${t.sku}|${t.warehouseCode}`)).size).toBe(taken.length);
          expect(taken.map((t) => ({ sku: t.sku, warehouseCode: t.warehouseCode }))).toEqual(touchedStockOf(covers));
        }),
      );
    });
  });

  describe('reorder suggestions', () => {
    const suggestions: ReorderSuggestion[] = [
      { sku: 'S1', supplier: 'ACME', warehouseCode: 'A', quantity: 80, reason: 'Suggested 80' },
      { sku: 'S2', growsPurchaseOrderLineId: 'POL-9', supplier: 'ACME', warehouseCode: '', quantity: 105, reason: 'Grown from 80 to 105' },
    ];

    it("raises a draft expected after the lead time, or grows the existing draft's line", () => {
      const plan: AllocationPlan = { orders: [orderPlan('O1', [dropShip('L1', 1, 'DirectCo')])], reorderSuggestions: suggestions };
      const writes = writesOf(plan, [], factsOf(plan, { products: [product('S1', { leadTimeDays: 10 }), product('S2')] }));
      const [dropShipOrder, draft] = writes.purchaseOrders;
      expect(dropShipOrder!.status).toBe('OPEN');
      expect(draft).toEqual({
        id: draft!.id,
        status: 'DRAFT',
        supplier: 'ACME',
        warehouse_code: 'A',
        expected_at: day(10),
        suggested: true,
        note: 'Suggested 80',
        drop_ship_order_id: null,
        draft_sku: 'S1',
      });
      expect(writes.purchaseOrderLines.filter((l) => l.purchase_order_id === draft!.id).map((l) => [l.sku, l.quantity])).toEqual([['S1', 80]]);
      expect(writes.draftGrowths).toEqual([{ purchase_order_line_id: 'POL-9', quantity: 105, note: 'Grown from 80 to 105' }]);
    });
  });

  describe('properties', () => {
    const WAREHOUSES = ['A', 'B', 'C'];
    const coverArb = (lineId: string) =>
      fc
        .record({
          kind: fc.constantFrom(AllocationKind.PULL, AllocationKind.TRANSFER, AllocationKind.WAIT, AllocationKind.DROP_SHIP),
          quantity: fc.integer({ min: 1, max: 50 }),
          to: fc.constantFrom(...WAREHOUSES),
          from: fc.constantFrom(...WAREHOUSES),
          sku: fc.constantFrom('S1', 'S2'),
          supplier: fc.constantFrom('SUP-A', 'SUP-B'),
          etaDays: fc.integer({ min: -2, max: 20 }),
        })
        .map((c) =>
          cover(c.kind, lineId, c.quantity, {
            sku: c.sku,
            eta: day(c.etaDays),
            warehouseCode: c.kind === AllocationKind.DROP_SHIP ? null : c.to,
            sourceWarehouseCode: c.kind === AllocationKind.TRANSFER ? c.from : null,
            supplier: c.kind === AllocationKind.DROP_SHIP ? c.supplier : null,
          }),
        );
    const orderArb = (orderId: string) =>
      fc
        .array(fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
        .chain((lines) => fc.tuple(...lines.map((covers, l) => fc.tuple(...covers.map(() => coverArb(`${orderId}-L${l}`))))))
        .chain((lines) => {
          const covers = lines.flat();
          const waitLines = [...new Set(covers.filter((c) => c.kind === AllocationKind.WAIT).map((c) => c.lineId))];
          return fc.boolean().map((split) =>
            orderPlan(orderId, covers, {
              split: split && waitLines.length > 0 ? { lines: waitLines.map((l) => ({ fromLineId: l, sku: 'S1', quantity: 1 })) } : null,
              events: split && waitLines.length > 0 ? [{ type: OrderEventType.SPLIT, message: 'SPLIT' }] : [],
            }),
          );
        });
    const planArb = fc
      .integer({ min: 1, max: 4 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => orderArb(`O${i}`))))
      .map((orders): AllocationPlan => ({ orders, reorderSuggestions: [] }));
    const pendingArb = fc
      .array(
        fc.record({ order: fc.integer({ min: 0, max: 3 }), warehouseCode: fc.constantFrom(...WAREHOUSES), at: fc.integer({ min: -5, max: 0 }) }),
        { maxLength: 4 },
      )
      .map((rows) =>
        rows.map((r, i): PendingShipment => ({ id: `SH-${i}`, orderId: `O${r.order}`, warehouseCode: r.warehouseCode, createdAt: day(r.at) })),
      );

    it("writes one allocation row per cover, with the cover's kind, quantity, SKU and ETA", () => {
      fc.assert(
        fc.property(planArb, pendingArb, (plan, pending) => {
          const writes = writesOf(plan, pending);
          const covers = plan.orders.flatMap((o) => o.covers);
          expect(writes.allocations.map((a) => [a.kind, a.quantity, a.sku, a.eta])).toEqual(covers.map((c) => [c.kind, c.quantity, c.sku, c.eta]));
          expect(new Set(writes.allocations.map((a) => a.id)).size).toBe(covers.length);
        }),
      );
    });

    it('puts every PULL and TRANSFER unit on one shipment line of its order and warehouse, and nothing else', () => {
      fc.assert(
        fc.property(planArb, pendingArb, (plan, pending) => {
          const writes = writesOf(plan, pending);
          const shipping = plan.orders.flatMap((o) => o.covers.filter((c) => c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER));
          const sum = (xs: Array<{ quantity: number }>) => xs.reduce((s, x) => s + x.quantity, 0);
          expect(sum(writes.shipmentLines)).toBe(sum(shipping));
          const shipmentOf = new Map([
            ...writes.shipments.map((s) => [s.id, `${s.order_id}|${s.warehouse_code}`] as const),
            ...pending.map((p) => [p.id, `${p.orderId}|${p.warehouseCode}`] as const),
          ]);
          for (const a of writes.allocations) {
            const ships = a.kind === AllocationKind.PULL || a.kind === AllocationKind.TRANSFER;
            expect(a.shipment_id === null).toBe(!ships);
            if (ships) expect(shipmentOf.get(a.shipment_id!)).toBe(`${a.order_id}|${a.warehouse_code}`);
          }
        }),
      );
    });

    it('starts no shipment for an order and warehouse that has a pending one, and at most one for any other', () => {
      fc.assert(
        fc.property(planArb, pendingArb, (plan, pending) => {
          const writes = writesOf(plan, pending);
          const keys = writes.shipments.map((s) => `${s.order_id}|${s.warehouse_code}`);
          const pendingKeys = new Set(pending.map((p) => `${p.orderId}|${p.warehouseCode}`));
          expect(keys.filter((k) => pendingKeys.has(k))).toEqual([]);
          expect(new Set(keys).size).toBe(keys.length);
          expect(writes.events.filter((e) => e.type === OrderEventType.SHIPMENT_CREATED)).toHaveLength(keys.length);
        }),
      );
    });

    it('carries every transfer and drop-ship unit on a line of its transfer or purchase order', () => {
      fc.assert(
        fc.property(planArb, (plan) => {
          const writes = writesOf(plan);
          const covers = plan.orders.flatMap((o) => o.covers);
          const units = (kind: AllocationKind) => covers.filter((c) => c.kind === kind).reduce((s, c) => s + c.quantity, 0);
          expect(writes.transferLines.reduce((s, l) => s + l.quantity, 0)).toBe(units(AllocationKind.TRANSFER));
          expect(writes.purchaseOrderLines.reduce((s, l) => s + l.quantity, 0)).toBe(units(AllocationKind.DROP_SHIP));
          const lanes = writes.transfers.map((t) => `${t.from}>${t.to}`);
          expect(new Set(lanes).size).toBe(lanes.length);
          const suppliersPerOrder = writes.purchaseOrders.map((p) => `${p.drop_ship_order_id}|${p.supplier}`);
          expect(new Set(suppliersPerOrder).size).toBe(suppliersPerOrder.length);
        }),
      );
    });

    it('moves exactly the WAIT covers of a split order to its new order', () => {
      fc.assert(
        fc.property(planArb, (plan) => {
          const writes = writesOf(plan);
          const newOrders = new Set(writes.splitOrders.map((s) => s.id));
          const splitFrom = new Set(writes.splitOrders.map((s) => s.split_from_id));
          plan.orders
            .flatMap((o) => o.covers.map((c) => [o.orderId, c] as const))
            .forEach(([orderId, c], i) => {
              const moved = newOrders.has(writes.allocations[i]!.order_id);
              expect(moved).toBe(c.kind === AllocationKind.WAIT && splitFrom.has(orderId));
            });
        }),
      );
    });
  });
});
