import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { receiveIntoStock } from '../inventory/stock-movements';
import { recordOrderEvents } from '../orders/order-events';
import { lockOrder, syncOrderStatus } from '../orders/order-status-sync';
import { OrderEventType } from '../orders/order.enums';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { deliverDropShip as deliverDropShipCovers } from '../reservations';
import { formatPurchaseOrderNumber } from '../shared/document-numbers';
import { badInput, conflict, notFound } from '../shared/errors';
import { MAX_LINE_QUANTITY } from '../shared/input-checks';
import { pageOfEntities } from '../db/entity-page';
import type { Page, PageRequest } from '../shared/pagination';
import { INBOUND_PURCHASE_ORDER_STATUSES, PurchaseOrder, PurchaseOrderStatus } from './purchase-order.entity';

export interface CreatePurchaseOrderCommand {
  supplier: string;
  warehouseCode: string;
  expectedAt: Date;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface ReceiptCommand {
  purchaseOrderId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface UpdatePurchaseOrderCommand {
  id: string;
  expectedAt?: Date | null;
  /** DRAFT → OPEN confirms a suggestion; OPEN or DRAFT → CANCELLED withdraws it while nothing was received. */
  status?: PurchaseOrderStatus | null;
}

export interface PurchaseOrderFilter {
  status?: PurchaseOrderStatus | null;
  supplier?: string | null;
  sku?: string | null;
  suggested?: boolean | null;
}

function checkLines(lines: Array<{ sku: string; quantity: number }>, field = 'lines') {
  if (!Array.isArray(lines) || lines.length === 0) throw badInput(`${field} needs at least one line`, { field });
  lines.forEach((l, i) => {
    if (typeof l.sku !== 'string' || l.sku.trim() === '') throw badInput(`${field}[${i}].sku is required`, { field });
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY) {
      throw badInput(`${field}[${i}].quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`, { field: `${field}[${i}].quantity` });
    }
  });
}

/** Purchase orders: inbound supply that backorders wait for, goods receipts, and drop-ship deliveries. */
export class PurchaseOrderService {
  constructor(private readonly orm: MikroORM) {}

  /** Returns the new purchase order's id. */
  async create(command: CreatePurchaseOrderCommand): Promise<string> {
    if (typeof command.supplier !== 'string' || command.supplier.trim() === '') throw badInput('supplier is required', { field: 'supplier' });
    if (!(command.expectedAt instanceof Date) || Number.isNaN(command.expectedAt.getTime()))
      throw badInput('expectedAt must be a date', { field: 'expectedAt' });
    checkLines(command.lines);
    const id = await this.orm.em.fork().transactional(async (em) => {
      const [warehouse] = await em.execute(`select code from warehouse where code = ?`, [command.warehouseCode]);
      if (!warehouse) throw badInput(`Unknown warehouse: ${command.warehouseCode}`, { field: 'warehouseCode' });
      const skus = [...new Set(command.lines.map((l) => l.sku))];
      const known: Array<{ sku: string }> = await em.execute(`select sku from product where sku = any(?::text[])`, [sqlArray(skus)]);
      const unknown = skus.filter((s) => !known.some((k) => k.sku === s));
      if (unknown.length > 0) throw badInput(`Unknown SKU: ${unknown.join(', ')}`, { field: 'lines', skus: unknown });
      const purchaseOrderId = randomUUID();
      await em.execute(`insert into purchase_order (id, status, supplier, warehouse_code, expected_at) values (?, 'OPEN', ?, ?, ?)`, [
        purchaseOrderId,
        command.supplier,
        command.warehouseCode,
        command.expectedAt.toISOString(),
      ]);
      await insertLines(em, purchaseOrderId, command.lines);
      // New supply can bring waiting backorders' ETAs forward.
      await requestAllocation(
        em,
        skus.map((sku) => ({ sku })),
        'purchase order created',
      );
      return purchaseOrderId;
    });
    return id;
  }

  /** A goods receipt, whole or partial. Stock rises and backorders waiting for these SKUs are served at once. */
  async receive(command: ReceiptCommand): Promise<void> {
    checkLines(command.lines);
    await this.orm.em.fork().transactional(async (em) => {
      const [po] = await em.execute(
        `select id, status, warehouse_code, drop_ship_order_id, number::text as number from purchase_order where id = ? for update`,
        [command.purchaseOrderId],
      );
      if (!po) throw notFound(`No purchase order ${command.purchaseOrderId}`);
      if (!INBOUND_PURCHASE_ORDER_STATUSES.includes(po.status))
        throw conflict(`Purchase order ${formatPurchaseOrderNumber(po.number)} is ${po.status} and cannot receive goods`);
      // NO KEY UPDATE: the allocator's new allocations reference these rows (a key-share lock) while it holds stock.
      const lines: Array<{ id: string; sku: string; quantity: number; received_quantity: number }> = await em.execute(
        `select id, sku, quantity, received_quantity from purchase_order_line where purchase_order_id = ? order by sku, id for no key update`,
        [po.id],
      );
      const received = allotReceipt(lines, command.lines, formatPurchaseOrderNumber(po.number));
      await em.execute(
        `update purchase_order_line l set received_quantity = l.received_quantity + r.quantity
         from json_to_recordset(?::json) as r(id uuid, quantity int) where l.id = r.id`,
        [JSON.stringify(received.map((r) => ({ id: r.lineId, quantity: r.quantity })))],
      );
      await em.execute(
        `update purchase_order set status = case when (select bool_and(received_quantity = quantity) from purchase_order_line where purchase_order_id = ?)
           then 'RECEIVED' else 'PARTIALLY_RECEIVED' end where id = ?`,
        [po.id, po.id],
      );
      await recordReceipt(em, po as { id: string; warehouse_code: string | null; drop_ship_order_id: string | null }, received);
      if (po.drop_ship_order_id) {
        await deliverDropShip(em, po.drop_ship_order_id, po.id, received);
      } else {
        const movements = received.map((r) => ({ sku: r.sku, warehouseCode: po.warehouse_code, quantity: r.quantity }));
        await receiveIntoStock(em, movements);
        await announceStockChanges(
          em,
          movements.map(({ sku, warehouseCode }) => ({ sku, warehouseCode })),
        );
        await requestAllocation(
          em,
          [...new Set(received.map((r) => r.sku))].map((sku) => ({ sku })),
          `goods received on ${formatPurchaseOrderNumber(po.number)}`,
        );
      }
    });
  }

  /** A new expected date moves every waiting line's ETA (the allocator plans them again and tells them). */
  async update(command: UpdatePurchaseOrderCommand): Promise<void> {
    if (command.expectedAt != null && Number.isNaN(command.expectedAt.getTime()))
      throw badInput('expectedAt must be a date', { field: 'expectedAt' });
    await this.orm.em.fork().transactional(async (em) => {
      const [po] = await em.execute(`select id, status, number::text as number from purchase_order where id = ? for update`, [command.id]);
      if (!po) throw notFound(`No purchase order ${command.id}`);
      if (command.status != null && command.status !== po.status) {
        const allowed =
          (po.status === PurchaseOrderStatus.DRAFT && [PurchaseOrderStatus.OPEN, PurchaseOrderStatus.CANCELLED].includes(command.status)) ||
          (po.status === PurchaseOrderStatus.OPEN && command.status === PurchaseOrderStatus.CANCELLED);
        if (!allowed) throw conflict(`A ${po.status} purchase order cannot become ${command.status}`);
        await em.execute(`update purchase_order set status = ? where id = ?`, [command.status, po.id]);
      }
      if (command.expectedAt != null) {
        if ([PurchaseOrderStatus.RECEIVED, PurchaseOrderStatus.CANCELLED].includes(po.status)) {
          throw conflict(`Purchase order ${formatPurchaseOrderNumber(po.number)} is ${po.status}; its date can no longer change`);
        }
        await em.execute(`update purchase_order set expected_at = ? where id = ?`, [command.expectedAt.toISOString(), po.id]);
      }
      const skus: Array<{ sku: string }> = await em.execute(`select distinct sku from purchase_order_line where purchase_order_id = ?`, [po.id]);
      await requestAllocation(
        em,
        skus.map(({ sku }) => ({ sku })),
        `purchase order ${formatPurchaseOrderNumber(po.number)} changed`,
      );
    });
  }

  /** Purchase orders by expected date. */
  list(em: EntityManager, filter: PurchaseOrderFilter = {}, page: PageRequest = {}): Promise<Page<PurchaseOrder>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) (where.push('t.status = ?'), params.push(filter.status));
    if (filter.supplier) (where.push('t.supplier = ?'), params.push(filter.supplier));
    if (filter.suggested != null) (where.push('t.suggested = ?'), params.push(filter.suggested));
    if (filter.sku)
      (where.push('exists (select 1 from purchase_order_line l where l.purchase_order_id = t.id and l.sku = ?)'), params.push(filter.sku));
    return pageOfEntities(em, PurchaseOrder, 'purchase_order', { where, params }, 't.expected_at, t.number', page);
  }
}

async function insertLines(em: EntityManager, purchaseOrderId: string, lines: Array<{ sku: string; quantity: number }>) {
  await em.execute(
    `insert into purchase_order_line (id, purchase_order_id, sku, quantity)
     select gen_random_uuid(), ?, r.sku, r.quantity from json_to_recordset(?::json) as r(sku text, quantity int)`,
    [purchaseOrderId, JSON.stringify(lines)],
  );
}

interface ReceivedLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** Spreads each received SKU's quantity over the purchase order's open lines; refuses more than was ordered. */
export function allotReceipt(
  lines: Array<{ id: string; sku: string; quantity: number; received_quantity: number }>,
  receipt: Array<{ sku: string; quantity: number }>,
  reference: string,
): ReceivedLine[] {
  const open = new Map(lines.map((l) => [l.id, l.quantity - l.received_quantity]));
  const result: ReceivedLine[] = [];
  for (const item of receipt) {
    let left = item.quantity;
    const candidates = lines.filter((l) => l.sku === item.sku);
    if (candidates.length === 0) throw badInput(`${reference} has no line for ${item.sku}`, { field: 'lines', sku: item.sku });
    for (const line of candidates) {
      const take = Math.min(left, open.get(line.id)!);
      if (take <= 0) continue;
      open.set(line.id, open.get(line.id)! - take);
      result.push({ lineId: line.id, sku: item.sku, quantity: take });
      left -= take;
    }
    if (left > 0)
      throw badInput(`${reference} expects ${item.quantity - left} more of ${item.sku} at most; ${item.quantity} were reported`, {
        field: 'lines',
        sku: item.sku,
      });
  }
  return result;
}

/** A drop-ship receipt is the supplier's delivery to the customer: the waiting units ship, no stock moves. */
async function deliverDropShip(em: EntityManager, orderId: string, purchaseOrderId: string, received: ReceivedLine[]): Promise<void> {
  const order = await lockOrder(em, orderId);
  if (!order) throw conflict('The order this drop ship was for no longer exists');
  const [{ supplier }] = await em.execute(`select supplier from purchase_order where id = ?`, [purchaseOrderId]);
  const shipmentId = randomUUID();
  await em.execute(`insert into shipment (id, order_id, warehouse_code, supplier, status, shipped_at) values (?, ?, null, ?, 'SHIPPED', now())`, [
    shipmentId,
    orderId,
    supplier,
  ]);
  for (const r of received) {
    for (const delivered of await deliverDropShipCovers(em, r.lineId, r.quantity, shipmentId)) {
      await em.execute(
        `update order_line set backordered_quantity = backordered_quantity - ?, shipped_quantity = shipped_quantity + ? where id = ?`,
        [delivered.quantity, delivered.quantity, delivered.orderLineId],
      );
      await em.execute(`insert into shipment_line (id, shipment_id, order_line_id, sku, quantity) values (gen_random_uuid(), ?, ?, ?, ?)`, [
        shipmentId,
        delivered.orderLineId,
        r.sku,
        delivered.quantity,
      ]);
    }
  }
  const status = await syncOrderStatus(em, order);
  const units = received.reduce((s, r) => s + r.quantity, 0);
  await recordOrderEvents(em, [
    {
      orderId,
      customerId: order.customerId,
      type: OrderEventType.SHIPPED,
      status,
      message: `${supplier} shipped ${units} unit${units === 1 ? '' : 's'} straight to the customer`,
    },
  ]);
}

/**
 * The receipt as received. A drop-ship receipt served its one order at once; a warehouse receipt is answered by the
 * allocator's next batch over its SKUs (src/allocation/record-receipt-serving.ts).
 */
async function recordReceipt(
  em: EntityManager,
  po: { id: string; warehouse_code: string | null; drop_ship_order_id: string | null },
  received: Array<{ sku: string; quantity: number }>,
): Promise<void> {
  const id = randomUUID();
  const dropShip = po.drop_ship_order_id !== null;
  await em.execute(`insert into goods_receipt (id, purchase_order_id, warehouse_code, served_at) values (?, ?, ?, ${dropShip ? 'now()' : 'null'})`, [
    id,
    po.id,
    dropShip ? null : po.warehouse_code,
  ]);
  const bySku = new Map<string, number>();
  for (const r of received) bySku.set(r.sku, (bySku.get(r.sku) ?? 0) + r.quantity);
  const lines = [...bySku].map(([sku, quantity]) => ({ id: randomUUID(), receipt_id: id, sku, quantity }));
  await em.execute(
    `insert into goods_receipt_line (id, receipt_id, sku, quantity)
     select * from json_to_recordset(?::json) as r(id uuid, receipt_id uuid, sku text, quantity int)`,
    [JSON.stringify(lines)],
  );
  if (dropShip) {
    await em.execute(
      `insert into goods_receipt_served (id, receipt_id, order_id, sku, quantity)
       select * from json_to_recordset(?::json) as r(id uuid, receipt_id uuid, order_id uuid, sku text, quantity int)`,
      [JSON.stringify(lines.map((l) => ({ ...l, id: randomUUID(), order_id: po.drop_ship_order_id })))],
    );
  }
}
