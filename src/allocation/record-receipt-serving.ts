import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { OrderStatus } from '../orders/order.enums';
import type { LoadedBatch } from './load-snapshot';
import { attributeServing, ReceiptToServe } from './planner/receipt-serving';
import type { AllocationPlan } from './planning.types';

/**
 * In the batch's transaction: goods receipts not yet served whose SKUs this batch planned, all of them, get what the
 * plan served from them (`goods_receipt_served`) and their `served_at`. The first batch that plans all of a receipt's
 * SKUs answers it: the receipt's own requests are one group, taken by one batch (see partitions.ts), while a batch
 * of another partition that plans only some of its SKUs leaves it alone.
 */
export async function recordReceiptServing(em: EntityManager, batch: LoadedBatch, plan: AllocationPlan, now: Date): Promise<void> {
  // Every SKU the batch planned, requested ones included: a receipt nobody waited for is settled with nothing served.
  const skus = batch.snapshot.products.map((p) => p.sku);
  if (skus.length === 0) return;
  const rows: Array<{ id: string; warehouse_code: string; sku: string; quantity: number }> = await executeBound(
    em,
    `select r.id, r.warehouse_code, l.sku, l.quantity from goods_receipt r join goods_receipt_line l on l.receipt_id = r.id
     where r.served_at is null and r.warehouse_code is not null
       and exists (select 1 from goods_receipt_line x where x.receipt_id = r.id and x.sku = any(?::text[]))
       and not exists (select 1 from goods_receipt_line x where x.receipt_id = r.id and not x.sku = any(?::text[]))
     order by r.received_at, r.id, l.sku`,
    [sqlArray(skus), sqlArray(skus)],
  );
  if (rows.length === 0) return;
  const receipts = new Map<string, ReceiptToServe>();
  for (const row of rows) {
    const receipt = receipts.get(row.id) ?? { receiptId: row.id, warehouseCode: row.warehouse_code, lines: [] };
    receipt.lines.push({ sku: row.sku, quantity: row.quantity });
    receipts.set(row.id, receipt);
  }
  const served = attributeServing([...receipts.values()], plan.orders, (orderId) => batch.orders.get(orderId)?.status !== OrderStatus.PENDING);
  if (served.length > 0) {
    await executeBound(
      em,
      `insert into goods_receipt_served (id, receipt_id, order_id, sku, quantity)
       select * from json_to_recordset(?::json) as r(id uuid, receipt_id uuid, order_id uuid, sku text, quantity int)`,
      [JSON.stringify(served.map((s) => ({ id: randomUUID(), receipt_id: s.receiptId, order_id: s.orderId, sku: s.sku, quantity: s.quantity })))],
    );
  }
  await executeBound(em, `update goods_receipt set served_at = ? where id = any(?::uuid[])`, [now.toISOString(), sqlArray(receipts.keys())]);
}
