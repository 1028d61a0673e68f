import { AllocationKind } from '../allocation.enums';
import type { OrderPlan } from '../planning.types';

export interface ReceiptToServe {
  receiptId: string;
  warehouseCode: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface ServedUnits {
  receiptId: string;
  orderId: string;
  sku: string;
  quantity: number;
}

/**
 * Which waiting orders a plan served from each goods receipt: the stock a plan reserves at the receipt's warehouse
 * (pulled there, or transferred from there) for orders that were already waiting, in the plan's own order (the
 * most urgent and oldest first), up to what each receipt line brought. Older receipts are counted first. Pure.
 */
export function attributeServing(receipts: ReceiptToServe[], orders: OrderPlan[], wasWaiting: (orderId: string) => boolean): ServedUnits[] {
  const takes: Array<{ orderId: string; sku: string; warehouseCode: string; left: number }> = [];
  for (const order of orders) {
    if (!wasWaiting(order.orderId)) continue;
    for (const c of order.covers) {
      const from = c.kind === AllocationKind.PULL ? c.warehouseCode : c.kind === AllocationKind.TRANSFER ? c.sourceWarehouseCode : null;
      if (from) takes.push({ orderId: order.orderId, sku: c.sku, warehouseCode: from, left: c.quantity });
    }
  }
  const served = new Map<string, ServedUnits>();
  for (const receipt of receipts) {
    for (const line of receipt.lines) {
      let left = line.quantity;
      for (const take of takes) {
        if (left <= 0) break;
        if (take.sku !== line.sku || take.warehouseCode !== receipt.warehouseCode || take.left <= 0) continue;
        const units = Math.min(left, take.left);
        take.left -= units;
        left -= units;
        const key = `${receipt.receiptId}|${take.orderId}|${line.sku}`;
        const entry = served.get(key) ?? { receiptId: receipt.receiptId, orderId: take.orderId, sku: line.sku, quantity: 0 };
        entry.quantity += units;
        served.set(key, entry);
      }
    }
  }
  return [...served.values()];
}
