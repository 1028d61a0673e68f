import { describe, expect, it } from 'vitest';
import { AllocationKind } from '../../src/allocation/allocation.enums';
import { planAllocation } from '../../src/allocation/plan-allocation';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority, OrderStatus } from '../../src/orders/order.enums';
import { brief, day, firm, isoDay, line, order, planOf, po, product, snapshot, stock, warehouse } from '../support/planning-fixtures';

const eventTypes = (plan: { events: Array<{ type: OrderEventType }> }) => plan.events.map((e) => e.type);

describe('planAllocation scenarios', () => {
  describe('the seed example: 100 ordered, 70 in stock', () => {
    const base = {
      warehouses: [warehouse('A', { ship: { EU: 2 } })],
      stock: [stock('S1', 'A', 70)],
      products: [product('S1', { leadTimeDays: 14, reorderQuantity: 50 })],
      demand: [order('O1', [line('L1', 'S1', 100)])],
    };

    it('pulls 70 and waits 30 on the earliest open purchase order, ETA = expectedAt + shipping days', () => {
      const plan = planAllocation(
        snapshot({ ...base, inbound: [po('P-LATE', 'S1', 'A', 50, 20, 'PO-0002'), po('P-EARLY', 'S1', 'A', 50, 10, 'PO-0001')] }),
      );
      const o1 = planOf(plan, 'O1');
      expect(o1.covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 70, warehouseCode: 'A', eta: isoDay(day(2)) },
        { kind: 'WAIT', quantity: 30, warehouseCode: 'A', supplyId: 'P-EARLY', eta: isoDay(day(12)) },
      ]);
      expect(o1.covers.map((c) => c.reason)).toEqual(['70 reserved at A, 2 days to EU', `30 wait for PO-0001, expected ${isoDay(day(10))} at A`]);
      expect(o1.lines).toEqual([{ lineId: 'L1', quantity: 100, allocatedQuantity: 70, backorderedQuantity: 30, eta: day(12) }]);
      expect(o1.status).toBe(OrderStatus.PARTIALLY_ALLOCATED);
      expect(o1.holdReason).toBeNull();
      expect(o1.split).toBeNull();
      expect(eventTypes(o1)).toEqual([OrderEventType.ALLOCATED, OrderEventType.BACKORDERED]);
      expect(plan.reorderSuggestions).toEqual([]);
    });

    it('waits on the product lead time when no purchase order is open, and suggests reorder quantity + 30', () => {
      const plan = planAllocation(snapshot(base));
      const o1 = planOf(plan, 'O1');
      expect(o1.covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 70, warehouseCode: 'A', eta: isoDay(day(2)) },
        { kind: 'WAIT', quantity: 30, eta: isoDay(day(16)) },
      ]);
      expect(o1.covers[1]!.reason).toBe(
        `30 wait for restocking: no purchase order is open; the supplier's lead time is 14 days (expected ${isoDay(day(16))})`,
      );
      expect(o1.status).toBe(OrderStatus.PARTIALLY_ALLOCATED);
      expect(plan.reorderSuggestions).toEqual([
        {
          sku: 'S1',
          supplier: 'ACME',
          warehouseCode: 'A',
          quantity: 80,
          reason: 'Suggested 80 (reorder quantity 50 + 30 backordered): 30 backordered with no purchase order open',
        },
      ]);
    });

    it('grows the open draft to the reorder quantity plus every unit owed, here and outside the snapshot', () => {
      const openSuggestions = [{ sku: 'S1', purchaseOrderLineId: 'pol-1', quantity: 55 }];
      const plan = planAllocation(
        snapshot({ ...base, skusWithOpenSuggestion: ['S1'], openSuggestions, unsuppliedElsewhere: [{ sku: 'S1', quantity: 5 }] }),
      );
      expect(plan.reorderSuggestions).toEqual([
        expect.objectContaining({
          sku: 'S1',
          growsPurchaseOrderLineId: 'pol-1',
          quantity: 85,
          reason: 'Grown from 55 to 85 (reorder quantity 50 + 35 backordered with no purchase order open)',
        }),
      ]);
      const covered = planAllocation(
        snapshot({ ...base, skusWithOpenSuggestion: ['S1'], openSuggestions: [{ ...openSuggestions[0], quantity: 80 }] }),
      );
      expect(covered.reorderSuggestions).toEqual([]);
    });

    it('does not repeat the reorder suggestion when the SKU already has an open one', () => {
      const plan = planAllocation(snapshot({ ...base, skusWithOpenSuggestion: ['S1'] }));
      expect(plan.reorderSuggestions).toEqual([]);
      expect(planOf(plan, 'O1').covers.map((c) => c.kind)).toEqual([AllocationKind.PULL, AllocationKind.WAIT]);
    });
  });

  it('suggests a reorder when what is left falls below the reorder point, with no demand at all', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } }), warehouse('B', { ship: { EU: 1 } })],
        stock: [stock('S1', 'A', 2, 2), stock('S1', 'B', 1, 6)],
        products: [product('S1', { reorderPoint: 10, reorderQuantity: 40, supplier: 'ACME' })],
      }),
    );
    expect(plan.reorderSuggestions).toEqual([
      {
        sku: 'S1',
        supplier: 'ACME',
        warehouseCode: 'B', // where the product is kept most (on hand)
        quantity: 40,
        reason: 'Suggested 40 (reorder quantity 40 + 0 backordered): 3 available or on order is below the reorder point of 10',
      },
    ]);
  });

  it('splits across two warehouses without double counting: stock 10 + 15, order 13 → 10 + 3', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } }), warehouse('B', { ship: { EU: 3 } })],
        stock: [stock('S1', 'A', 10), stock('S1', 'B', 15)],
        products: [product('S1')],
        demand: [order('O1', [line('L1', 'S1', 13)])],
      }),
    );
    const o1 = planOf(plan, 'O1');
    expect(o1.covers.map(brief)).toEqual([
      { kind: 'PULL', quantity: 10, warehouseCode: 'A', eta: isoDay(day(1)) },
      { kind: 'PULL', quantity: 3, warehouseCode: 'B', eta: isoDay(day(3)) },
    ]);
    expect(o1.covers.map((c) => c.reason)).toEqual(['10 reserved at A, 1 day to EU', '3 reserved at B, 3 days to EU']);
    expect(o1.lines).toEqual([{ lineId: 'L1', quantity: 13, allocatedQuantity: 13, backorderedQuantity: 0, eta: day(3) }]);
    expect(o1.status).toBe(OrderStatus.ALLOCATED);
    expect(eventTypes(o1)).toEqual([OrderEventType.ALLOCATED]);
  });

  it('pulls from the warehouse with the fastest lane first, whatever its code', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 5 } }), warehouse('B', { ship: { EU: 1 } })],
        stock: [stock('S1', 'A', 20), stock('S1', 'B', 20)],
        products: [product('S1')],
        demand: [order('O1', [line('L1', 'S1', 5)])],
      }),
    );
    expect(planOf(plan, 'O1').covers.map(brief)).toEqual([{ kind: 'PULL', quantity: 5, warehouseCode: 'B', eta: isoDay(day(1)) }]);
  });

  describe('maxWarehouses 1: one parcel', () => {
    const world = (transfer: boolean) =>
      snapshot({
        // B holds the whole order but is 3 days slower than A: A ships (a parcel costs 2, a day 1).
        warehouses: [warehouse('A', { ship: { EU: 1 } }), warehouse('B', { ship: { EU: 4 }, transfer: transfer ? { A: 3 } : {} })],
        stock: [stock('S1', 'A', 4), stock('S1', 'B', 10)],
        products: [product('S1', { leadTimeDays: 14 })],
        demand: [order('O1', [line('L1', 'S1', 6)], { maxWarehouses: 1 })],
      });

    it('transfers the rest from the other warehouse into the one that ships', () => {
      const o1 = planOf(planAllocation(world(true)), 'O1');
      expect(o1.covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 4, warehouseCode: 'A', eta: isoDay(day(1)) },
        { kind: 'TRANSFER', quantity: 2, warehouseCode: 'A', sourceWarehouseCode: 'B', eta: isoDay(day(4)) },
      ]);
      expect(o1.covers[1]!.reason).toBe(`2 transferred from B to A to ship in one parcel, expected ${isoDay(day(4))}`);
      expect(o1.status).toBe(OrderStatus.ALLOCATED);
      expect(eventTypes(o1)).toEqual([OrderEventType.ALLOCATED, OrderEventType.TRANSFER_CREATED]);
    });

    it('waits rather than splitting when there is no transfer lane', () => {
      const o1 = planOf(planAllocation(world(false)), 'O1');
      expect(o1.covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 4, warehouseCode: 'A', eta: isoDay(day(1)) },
        { kind: 'WAIT', quantity: 2, eta: isoDay(day(15)) },
      ]);
      expect(o1.status).toBe(OrderStatus.PARTIALLY_ALLOCATED);
    });
  });

  it('maxWarehouses 1: a drop-ship parcel and a warehouse parcel never go together, whichever line comes first', () => {
    // The planner counts a drop-ship supplier as a parcel (it refuses a drop ship once a warehouse ships the
    // order), so the same order must get the same covers when its lines come in the other order.
    const world = (lines: ReturnType<typeof line>[]) =>
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } })],
        stock: [stock('S2', 'A', 5)],
        products: [product('S1', { leadTimeDays: 3, dropShip: true, supplier: 'DS-Co' }), product('S2')],
        demand: [order('O1', lines, { maxWarehouses: 1 })],
      });
    const parcels = (lines: ReturnType<typeof line>[]) => {
      const covers = planOf(planAllocation(world(lines)), 'O1').covers;
      return new Set(
        covers
          .map((c) => (c.kind === AllocationKind.DROP_SHIP ? `supplier ${c.supplier}` : c.kind === AllocationKind.PULL ? c.warehouseCode : null))
          .filter(Boolean),
      );
    };
    expect(parcels([line('L2', 'S2', 2), line('L1', 'S1', 2)]).size).toBe(1);
    expect(parcels([line('L1', 'S1', 2), line('L2', 'S2', 2)]).size).toBe(1);
  });

  describe('transfer or split shipment (maxWarehouses 3)', () => {
    const world = (transferDays: number) =>
      snapshot({
        policy: { preferTransferWithinDays: 2 },
        warehouses: [warehouse('A', { ship: { EU: 1 } }), warehouse('B', { ship: { EU: 4 }, transfer: { A: transferDays } })],
        stock: [stock('S1', 'A', 4), stock('S1', 'B', 10)],
        products: [product('S1')],
        demand: [order('O1', [line('L1', 'S1', 6)])],
      });

    it('transfers when the transfer arrives within preferTransferWithinDays of the split parcel', () => {
      // transfer 5 + ship 1 = 6 days against 4 days for a parcel from B: 2 days later, just within 2
      expect(planOf(planAllocation(world(5)), 'O1').covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 4, warehouseCode: 'A', eta: isoDay(day(1)) },
        { kind: 'TRANSFER', quantity: 2, warehouseCode: 'A', sourceWarehouseCode: 'B', eta: isoDay(day(6)) },
      ]);
    });

    it('ships a second parcel when the transfer would arrive much later', () => {
      // transfer 6 + ship 1 = 7 days against 4 days: 3 days later
      expect(planOf(planAllocation(world(6)), 'O1').covers.map(brief)).toEqual([
        { kind: 'PULL', quantity: 4, warehouseCode: 'A', eta: isoDay(day(1)) },
        { kind: 'PULL', quantity: 2, warehouseCode: 'B', eta: isoDay(day(4)) },
      ]);
    });
  });

  it('ships from a slightly slower warehouse that holds the whole order rather than in two parcels', () => {
    // A: 1 day but only 4 of 6 (score 1 + parcel 2 = 3); B: 2 days and all 6 (score 2): one parcel from B.
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } }), warehouse('B', { ship: { EU: 2 } })],
        stock: [stock('S1', 'A', 4), stock('S1', 'B', 10)],
        products: [product('S1')],
        demand: [order('O1', [line('L1', 'S1', 6)])],
      }),
    );
    expect(planOf(plan, 'O1').covers.map(brief)).toEqual([{ kind: 'PULL', quantity: 6, warehouseCode: 'B', eta: isoDay(day(2)) }]);
  });

  it('SHIP_COMPLETE: reserves what is there, holds the order with a reason, never drop-ships', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        stock: [stock('S1', 'A', 5), stock('S2', 'A', 0)],
        products: [product('S1'), product('S2', { leadTimeDays: 14, dropShip: true, supplier: 'DS' })],
        demand: [order('O1', [line('L1', 'S1', 5), line('L2', 'S2', 3)], { fulfilmentPolicy: FulfilmentPolicy.SHIP_COMPLETE })],
      }),
    );
    const o1 = planOf(plan, 'O1');
    expect(o1.covers.map(brief)).toEqual([
      { kind: 'PULL', quantity: 5, warehouseCode: 'A', eta: isoDay(day(2)) },
      { kind: 'WAIT', quantity: 3, eta: isoDay(day(16)) },
    ]);
    // Every line reaches the customer with the last one.
    expect(o1.lines).toEqual([
      { lineId: 'L1', quantity: 5, allocatedQuantity: 5, backorderedQuantity: 0, eta: day(16) },
      { lineId: 'L2', quantity: 3, allocatedQuantity: 0, backorderedQuantity: 3, eta: day(16) },
    ]);
    expect(o1.status).toBe(OrderStatus.ON_HOLD);
    expect(o1.holdReason).toBe(`Ships complete: waiting for 3 × S2, expected ${isoDay(day(16))}`);
    expect(eventTypes(o1)).toEqual([OrderEventType.ALLOCATED, OrderEventType.BACKORDERED, OrderEventType.ON_HOLD]);
  });

  it('SPLIT_ORDER: what waits moves to a new order, the original keeps what ships', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        stock: [stock('S1', 'A', 6), stock('S2', 'A', 2)],
        inbound: [po('P1', 'S1', 'A', 10, 5, 'PO-0001')],
        products: [product('S1'), product('S2')],
        demand: [order('O1', [line('L1', 'S1', 10), line('L2', 'S2', 2)], { fulfilmentPolicy: FulfilmentPolicy.SPLIT_ORDER })],
      }),
    );
    const o1 = planOf(plan, 'O1');
    expect(o1.covers.map(brief)).toEqual([
      { kind: 'PULL', quantity: 6, warehouseCode: 'A', eta: isoDay(day(2)) },
      { kind: 'PULL', quantity: 2, warehouseCode: 'A', eta: isoDay(day(2)) },
      { kind: 'WAIT', quantity: 4, warehouseCode: 'A', supplyId: 'P1', eta: isoDay(day(7)) },
    ]);
    expect(o1.split).toEqual({ lines: [{ fromLineId: 'L1', sku: 'S1', quantity: 4 }] });
    expect(o1.lines).toEqual([
      { lineId: 'L1', quantity: 6, allocatedQuantity: 6, backorderedQuantity: 0, eta: day(2) },
      { lineId: 'L2', quantity: 2, allocatedQuantity: 2, backorderedQuantity: 0, eta: day(2) },
    ]);
    expect(o1.status).toBe(OrderStatus.ALLOCATED);
    expect(o1.events.find((e) => e.type === OrderEventType.SPLIT)?.message).toBe('Split: 4 × S1 moved to a new order');
  });

  it('SPLIT_ORDER with nothing to ship now does not split', () => {
    const o1 = planOf(
      planAllocation(
        snapshot({
          warehouses: [warehouse('A', { ship: { EU: 2 } })],
          products: [product('S1')],
          demand: [order('O1', [line('L1', 'S1', 3)], { fulfilmentPolicy: FulfilmentPolicy.SPLIT_ORDER })],
        }),
      ),
      'O1',
    );
    expect(o1.split).toBeNull();
    expect(o1.status).toBe(OrderStatus.BACKORDERED);
  });

  describe('drop ship', () => {
    const world = (opts: { allowDropShip: boolean; poInDays: number }) =>
      snapshot({
        policy: { allowDropShip: opts.allowDropShip },
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        inbound: [po('P1', 'S1', 'A', 50, opts.poInDays, 'PO-0001')],
        products: [product('S1', { leadTimeDays: 5, dropShip: true, supplier: 'DS-Co' })],
        demand: [order('O1', [line('L1', 'S1', 8)])],
      });

    it('drop-ships when allowed and the purchase order arrives later than the supplier lead time', () => {
      const o1 = planOf(planAllocation(world({ allowDropShip: true, poInDays: 20 })), 'O1');
      expect(o1.covers.map(brief)).toEqual([{ kind: 'DROP_SHIP', quantity: 8, supplier: 'DS-Co', eta: isoDay(day(5)) }]);
      expect(o1.covers[0]!.reason).toBe(`8 drop-shipped by DS-Co straight to the customer, expected ${isoDay(day(5))}`);
      expect(o1.lines[0]).toMatchObject({ allocatedQuantity: 0, backorderedQuantity: 8, eta: day(5) });
      expect(o1.status).toBe(OrderStatus.BACKORDERED);
      expect(eventTypes(o1)).toEqual([OrderEventType.DROP_SHIP_ORDERED]);
    });

    it('waits on the purchase order when drop ship is not allowed', () => {
      const o1 = planOf(planAllocation(world({ allowDropShip: false, poInDays: 20 })), 'O1');
      expect(o1.covers.map(brief)).toEqual([{ kind: 'WAIT', quantity: 8, warehouseCode: 'A', supplyId: 'P1', eta: isoDay(day(22)) }]);
    });

    it('waits on the purchase order when it arrives before the lead time would', () => {
      const o1 = planOf(planAllocation(world({ allowDropShip: true, poInDays: 1 })), 'O1');
      expect(o1.covers.map(brief)).toEqual([{ kind: 'WAIT', quantity: 8, warehouseCode: 'A', supplyId: 'P1', eta: isoDay(day(3)) }]);
    });
  });

  describe('priority', () => {
    const world = (newer: Partial<Parameters<typeof order>[2]>) =>
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } })],
        stock: [stock('S1', 'A', 5)],
        products: [product('S1', { leadTimeDays: 10 })],
        demand: [
          order('OLD', [line('OLD-1', 'S1', 5)], { placedAt: day(-10) }),
          order('NEW', [line('NEW-1', 'S1', 5)], { placedAt: day(-1), ...newer }),
        ],
      });

    it('an older NORMAL order gets scarce stock before a newer NORMAL one', () => {
      const plan = planAllocation(world({}));
      expect(planOf(plan, 'OLD').covers.map((c) => c.kind)).toEqual([AllocationKind.PULL]);
      expect(planOf(plan, 'NEW').covers.map((c) => c.kind)).toEqual([AllocationKind.WAIT]);
    });

    it('an URGENT order placed later beats an older NORMAL one', () => {
      const plan = planAllocation(world({ priority: OrderPriority.URGENT }));
      expect(planOf(plan, 'NEW').covers.map(brief)).toEqual([{ kind: 'PULL', quantity: 5, warehouseCode: 'A', eta: isoDay(day(1)) }]);
      expect(planOf(plan, 'NEW').status).toBe(OrderStatus.ALLOCATED);
      expect(planOf(plan, 'OLD').covers.map(brief)).toEqual([{ kind: 'WAIT', quantity: 5, eta: isoDay(day(11)) }]);
      expect(planOf(plan, 'OLD').status).toBe(OrderStatus.BACKORDERED);
    });

    it('a VIP order placed later beats an older order of the same priority', () => {
      const plan = planAllocation(world({ flags: [OrderFlag.VIP] }));
      expect(planOf(plan, 'NEW').covers.map((c) => c.kind)).toEqual([AllocationKind.PULL]);
      expect(planOf(plan, 'OLD').covers.map((c) => c.kind)).toEqual([AllocationKind.WAIT]);
    });

    it('a GIFT flag gives no precedence', () => {
      const plan = planAllocation(world({ flags: [OrderFlag.GIFT] }));
      expect(planOf(plan, 'OLD').covers.map((c) => c.kind)).toEqual([AllocationKind.PULL]);
    });
  });

  it('an older backorder gets the incoming purchase order units before a newer order', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        inbound: [po('P2', 'S1', 'A', 10, 15, 'PO-0002'), po('P1', 'S1', 'A', 5, 3, 'PO-0001')],
        products: [product('S1')],
        demand: [
          order('NEW', [line('NEW-1', 'S1', 5)], { placedAt: day(-1) }),
          order('OLD', [line('OLD-1', 'S1', 5, { currentEta: day(5) })], { placedAt: day(-10), status: OrderStatus.BACKORDERED }),
        ],
      }),
    );
    expect(planOf(plan, 'OLD').covers.map(brief)).toEqual([{ kind: 'WAIT', quantity: 5, warehouseCode: 'A', supplyId: 'P1', eta: isoDay(day(5)) }]);
    expect(planOf(plan, 'NEW').covers.map(brief)).toEqual([{ kind: 'WAIT', quantity: 5, warehouseCode: 'A', supplyId: 'P2', eta: isoDay(day(17)) }]);
    // The backorder was planned before: no second BACKORDERED event, and its ETA did not move.
    expect(eventTypes(planOf(plan, 'OLD'))).toEqual([]);
    expect(eventTypes(planOf(plan, 'NEW'))).toEqual([OrderEventType.BACKORDERED]);
  });

  describe('ETA_CHANGED', () => {
    const world = (currentEta: Date, status: OrderStatus) =>
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        inbound: [po('P1', 'S1', 'A', 10, 5, 'PO-0001')],
        products: [product('S1')],
        demand: [order('O1', [line('L1', 'S1', 4, { currentEta })], { status })],
      });

    it('is raised when a line’s ETA moves', () => {
      const o1 = planOf(planAllocation(world(day(20), OrderStatus.BACKORDERED)), 'O1');
      expect(o1.lines[0]!.eta).toEqual(day(7));
      expect(o1.events).toEqual([{ type: OrderEventType.ETA_CHANGED, message: `ETA of S1 moved from ${isoDay(day(20))} to ${isoDay(day(7))}` }]);
    });

    it('is not raised when the ETA stays on the same day', () => {
      expect(planOf(planAllocation(world(new Date(day(7).getTime() + 3_600_000), OrderStatus.BACKORDERED)), 'O1').events).toEqual([]);
    });

    it('is not raised on the first plan of an order', () => {
      expect(eventTypes(planOf(planAllocation(world(day(20), OrderStatus.PENDING)), 'O1'))).toEqual([OrderEventType.BACKORDERED]);
    });
  });

  it('RELEASED when a previously ON_HOLD order becomes fully covered', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 2 } })],
        stock: [stock('S2', 'A', 3)],
        products: [product('S1'), product('S2')],
        demand: [
          order(
            'O1',
            [
              line('L1', 'S1', 5, { firmCovers: [firm(AllocationKind.PULL, 5, { warehouseCode: 'A', eta: day(2) })], currentEta: day(16) }),
              line('L2', 'S2', 3, { currentEta: day(16) }),
            ],
            { fulfilmentPolicy: FulfilmentPolicy.SHIP_COMPLETE, status: OrderStatus.ON_HOLD },
          ),
        ],
      }),
    );
    const o1 = planOf(plan, 'O1');
    expect(o1.covers.map(brief)).toEqual([{ kind: 'PULL', quantity: 3, warehouseCode: 'A', eta: isoDay(day(2)) }]);
    expect(o1.lines).toEqual([
      { lineId: 'L1', quantity: 5, allocatedQuantity: 5, backorderedQuantity: 0, eta: day(2) },
      { lineId: 'L2', quantity: 3, allocatedQuantity: 3, backorderedQuantity: 0, eta: day(2) },
    ]);
    expect(o1.status).toBe(OrderStatus.ALLOCATED);
    expect(o1.holdReason).toBeNull();
    expect(eventTypes(o1)).toEqual([OrderEventType.ALLOCATED, OrderEventType.ETA_CHANGED, OrderEventType.ETA_CHANGED, OrderEventType.RELEASED]);
  });

  it('a held order that stays on hold is neither released nor held again', () => {
    const o1 = planOf(
      planAllocation(
        snapshot({
          warehouses: [warehouse('A', { ship: { EU: 2 } })],
          products: [product('S1'), product('S2', { leadTimeDays: 14 })],
          demand: [
            order(
              'O1',
              [
                line('L1', 'S1', 5, { firmCovers: [firm(AllocationKind.PULL, 5, { warehouseCode: 'A', eta: day(2) })], currentEta: day(16) }),
                line('L2', 'S2', 3, { currentEta: day(16) }),
              ],
              { fulfilmentPolicy: FulfilmentPolicy.SHIP_COMPLETE, status: OrderStatus.ON_HOLD },
            ),
          ],
        }),
      ),
      'O1',
    );
    expect(o1.status).toBe(OrderStatus.ON_HOLD);
    expect(o1.events).toEqual([]);
  });

  it('two lines of one order for the same SKU never oversell', () => {
    const plan = planAllocation(
      snapshot({
        warehouses: [warehouse('A', { ship: { EU: 1 } })],
        stock: [stock('S1', 'A', 10)],
        products: [product('S1', { leadTimeDays: 7 })],
        demand: [order('O1', [line('L1', 'S1', 6), line('L2', 'S1', 6)])],
      }),
    );
    const o1 = planOf(plan, 'O1');
    expect(o1.covers.map((c) => [c.lineId, ...Object.values(brief(c))])).toEqual([
      ['L1', 'PULL', 6, 'A', isoDay(day(1))],
      ['L2', 'PULL', 4, 'A', isoDay(day(1))],
      ['L2', 'WAIT', 2, isoDay(day(8))],
    ]);
    expect(o1.lines.map((l) => [l.allocatedQuantity, l.backorderedQuantity])).toEqual([
      [6, 0],
      [4, 2],
    ]);
  });

  it('plans only the open need of a line: shipped, cancelled and firm covers are left alone', () => {
    const o1 = planOf(
      planAllocation(
        snapshot({
          warehouses: [warehouse('A', { ship: { EU: 1 } })],
          stock: [stock('S1', 'A', 100)],
          products: [product('S1')],
          demand: [
            order(
              'O1',
              [
                line('L1', 'S1', 10, {
                  shippedQuantity: 3,
                  cancelledQuantity: 2,
                  firmCovers: [firm(AllocationKind.PULL, 1, { warehouseCode: 'A', eta: day(1) })],
                }),
              ],
              { status: OrderStatus.PARTIALLY_SHIPPED },
            ),
          ],
        }),
      ),
      'O1',
    );
    expect(o1.covers.map(brief)).toEqual([{ kind: 'PULL', quantity: 4, warehouseCode: 'A', eta: isoDay(day(1)) }]);
    expect(o1.lines).toEqual([{ lineId: 'L1', quantity: 10, allocatedQuantity: 5, backorderedQuantity: 0, eta: day(1) }]);
    expect(o1.status).toBe(OrderStatus.PARTIALLY_SHIPPED);
  });
});
