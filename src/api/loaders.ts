import type { EntityManager } from '@mikro-orm/postgresql';
import { Allocation } from '../allocation/allocation.entity';
import { AllocationKind, AllocationStatus } from '../allocation/allocation.enums';
import { Order } from '../orders/order.entity';
import { OrderEvent } from '../orders/order-event.entity';
import { OrderLine } from '../orders/order-line.entity';
import { GoodsReceipt, GoodsReceiptLine, GoodsReceiptServed } from '../purchasing/goods-receipt.entity';
import { PurchaseOrder, PurchaseOrderLine } from '../purchasing/purchase-order.entity';
import { Quote } from '../quotes/quote.entity';
import { Shipment, ShipmentLine } from '../shipments/shipment.entity';
import { Transfer, TransferLine } from '../transfers/transfer.entity';
import { BatchLoader, groupBy } from './batch-loader';
import { sqlArray } from '../db/sql';

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
const none = <T>() => [] as T[];

/** Batched reads for field resolvers, one set per request (or per subscription event), through the request's em. */
export function createLoaders(em: EntityManager) {
  return {
    orderById: new BatchLoader<string, Order | null>(
      async (ids) => byId(await em.find(Order, { id: { $in: ids } })),
      () => null,
    ),
    linesByOrderId: new BatchLoader<string, OrderLine[]>(
      async (ids) => groupBy(await em.find(OrderLine, { order: { $in: ids } }, { orderBy: { lineNo: 'asc' } }), (l) => l.order.id),
      none,
    ),
    /** ACTIVE and SHIPPED allocations: what covers the line now and what already left. */
    allocationsByLineId: new BatchLoader<string, Allocation[]>(
      async (ids) =>
        groupBy(
          await em.find(
            Allocation,
            { orderLine: { $in: ids }, status: { $in: [AllocationStatus.ACTIVE, AllocationStatus.SHIPPED] } },
            { orderBy: { createdAt: 'asc', id: 'asc' } },
          ),
          (a) => a.orderLine.id,
        ),
      none,
    ),
    shipmentsByOrderId: new BatchLoader<string, Shipment[]>(
      async (ids) => groupBy(await em.find(Shipment, { order: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }), (s) => s.order.id),
      none,
    ),
    shipmentLinesByShipmentId: new BatchLoader<string, ShipmentLine[]>(
      async (ids) => groupBy(await em.find(ShipmentLine, { shipment: { $in: ids } }, { orderBy: { sku: 'asc' } }), (l) => l.shipment.id),
      none,
    ),
    /** The timeline, oldest first (ids grow with time). */
    eventsByOrderId: new BatchLoader<string, OrderEvent[]>(
      async (ids) => groupBy(await em.find(OrderEvent, { order: { $in: ids } }, { orderBy: { id: 'asc' } }), (e) => e.order.id),
      none,
    ),
    splitIntoByOrderId: new BatchLoader<string, Order[]>(
      async (ids) => groupBy(await em.find(Order, { splitFrom: { $in: ids } }, { orderBy: { placedAt: 'asc', id: 'asc' } }), (o) => o.splitFrom!.id),
      none,
    ),
    purchaseOrderLinesByPurchaseOrderId: new BatchLoader<string, PurchaseOrderLine[]>(
      async (ids) =>
        groupBy(await em.find(PurchaseOrderLine, { purchaseOrder: { $in: ids } }, { orderBy: { sku: 'asc' } }), (l) => l.purchaseOrder.id),
      none,
    ),
    /** Units of a purchase order line promised to order lines: ACTIVE allocations of kind WAIT or DROP_SHIP. */
    promisedQuantityByPurchaseOrderLineId: new BatchLoader<string, number>(
      async (ids) => {
        const rows = await em.execute<Array<{ purchase_order_line_id: string; promised: number }>>(
          `select purchase_order_line_id, sum(quantity)::int as promised from allocation
           where purchase_order_line_id = any(?::uuid[])
             and status = ? and kind in (?, ?)
           group by purchase_order_line_id`,
          [sqlArray(ids), AllocationStatus.ACTIVE, AllocationKind.WAIT, AllocationKind.DROP_SHIP],
        );
        return new Map(rows.map((r) => [r.purchase_order_line_id, r.promised]));
      },
      () => 0,
    ),
    purchaseOrderById: new BatchLoader<string, PurchaseOrder | null>(
      async (ids) => byId(await em.find(PurchaseOrder, { id: { $in: ids } })),
      () => null,
    ),
    /** The purchase order of a purchase order line: what an allocation's link points at. */
    purchaseOrderByLineId: new BatchLoader<string, PurchaseOrder | null>(
      async (ids) => {
        const lines = await em.find(PurchaseOrderLine, { id: { $in: ids } }, { populate: ['purchaseOrder'] });
        return new Map(lines.map((line) => [line.id, line.purchaseOrder as PurchaseOrder]));
      },
      () => null,
    ),
    receiptsByPurchaseOrderId: new BatchLoader<string, GoodsReceipt[]>(
      async (ids) =>
        groupBy(
          await em.find(GoodsReceipt, { purchaseOrder: { $in: ids } }, { orderBy: { receivedAt: 'asc', id: 'asc' } }),
          (r) => r.purchaseOrder.id,
        ),
      none,
    ),
    receiptLinesByReceiptId: new BatchLoader<string, GoodsReceiptLine[]>(
      async (ids) => groupBy(await em.find(GoodsReceiptLine, { receipt: { $in: ids } }, { orderBy: { sku: 'asc' } }), (l) => l.receipt.id),
      none,
    ),
    receiptServedByReceiptId: new BatchLoader<string, GoodsReceiptServed[]>(
      async (ids) =>
        groupBy(
          await em.find(GoodsReceiptServed, { receipt: { $in: ids } }, { orderBy: { sku: 'asc', quantity: 'desc', id: 'asc' } }),
          (s) => s.receipt.id,
        ),
      none,
    ),
    /** The quote an order began as, if it did. */
    quoteByOrderId: new BatchLoader<string, Quote | null>(
      async (ids) => new Map((await em.find(Quote, { order: { $in: ids } })).map((q) => [q.order.id, q])),
      () => null,
    ),
    transferById: new BatchLoader<string, Transfer | null>(
      async (ids) => byId(await em.find(Transfer, { id: { $in: ids } })),
      () => null,
    ),
    transferLinesByTransferId: new BatchLoader<string, TransferLine[]>(
      async (ids) => groupBy(await em.find(TransferLine, { transfer: { $in: ids } }, { orderBy: { sku: 'asc' } }), (l) => l.transfer.id),
      none,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
