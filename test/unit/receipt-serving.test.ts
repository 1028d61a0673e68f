import { describe, expect, it } from 'vitest';
import { AllocationKind } from '../../src/allocation/allocation.enums';
import { attributeServing } from '../../src/allocation/planner/receipt-serving';
import type { OrderPlan, PlannedCover } from '../../src/allocation/planning.types';
import { OrderStatus } from '../../src/orders/order.enums';

const cover = (kind: AllocationKind, quantity: number, over: Partial<PlannedCover> = {}): PlannedCover => ({
  lineId: 'l',
  sku: 'MUG',
  kind,
  quantity,
  warehouseCode: 'EAST',
  sourceWarehouseCode: null,
  supplyId: null,
  supplier: null,
  eta: new Date(0),
  reason: '',
  ...over,
});
const plan = (orderId: string, covers: PlannedCover[]): OrderPlan => ({
  orderId,
  status: OrderStatus.ALLOCATED,
  holdReason: null,
  lines: [],
  covers,
  split: null,
  events: [],
});

describe('attributeServing', () => {
  it('gives a receipt to waiting orders in plan order, up to what it brought, counting transfers out of its warehouse', () => {
    const served = attributeServing(
      [{ receiptId: 'r1', warehouseCode: 'EAST', lines: [{ sku: 'MUG', quantity: 10 }] }],
      [
        plan('urgent', [cover(AllocationKind.PULL, 4)]),
        plan('new-order', [cover(AllocationKind.PULL, 3)]),
        plan('transfer', [cover(AllocationKind.TRANSFER, 2, { warehouseCode: 'WEST', sourceWarehouseCode: 'EAST' })]),
        plan('elsewhere', [cover(AllocationKind.PULL, 5, { warehouseCode: 'WEST' })]),
        plan('waits', [cover(AllocationKind.WAIT, 5)]),
        plan('last', [cover(AllocationKind.PULL, 9)]),
      ],
      (orderId) => orderId !== 'new-order',
    );
    expect(served).toEqual([
      { receiptId: 'r1', orderId: 'urgent', sku: 'MUG', quantity: 4 },
      { receiptId: 'r1', orderId: 'transfer', sku: 'MUG', quantity: 2 },
      { receiptId: 'r1', orderId: 'last', sku: 'MUG', quantity: 4 },
    ]);
  });
});
