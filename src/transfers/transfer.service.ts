import { sqlArray } from '../db/sql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { OrderEventType, OrderStatus } from '../orders/order.enums';
import { announceStockChanges } from '../outbox/outbox';
import { dispatchTransferReservations, receiveTransferReservations } from '../reservations';
import { allotReceipt } from '../purchasing/purchase-order.service';
import { refreshShipmentReadiness } from '../shipments/shipment-readiness';
import { moveTransferEtas } from './transfer-etas';
import { formatTransferNumber } from '../shared/document-numbers';
import { badInput, conflict, notFound } from '../shared/errors';
import { pageOfEntities } from '../db/entity-page';
import type { Page, PageRequest } from '../shared/pagination';
import { Transfer, TransferStatus } from './transfer.entity';

export interface TransferReceiptCommand {
  transferId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface TransferFilter {
  status?: TransferStatus | null;
  fromWarehouseCode?: string | null;
  toWarehouseCode?: string | null;
  sku?: string | null;
}

/**
 * Transfers the planner creates to bring stock to the warehouse that ships an order. PLANNED: units reserved at
 * the source. DISPATCHED: they left it (in transit, incoming at the destination). RECEIVED: they arrived, still
 * reserved for their orders, whose waiting shipments become READY.
 */
export class TransferService {
  constructor(private readonly orm: MikroORM) {}

  async dispatch(id: string): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const transfer = await lockTransfer(em, id);
      const reference = formatTransferNumber(transfer.number);
      if (transfer.status !== TransferStatus.PLANNED) throw conflict(`Transfer ${reference} is ${transfer.status} and cannot be dispatched`);
      const orders = await lockOrdersOf(em, transfer.id);
      const lines: Array<{ sku: string; quantity: number }> = await em.execute(`select sku, quantity from transfer_line where transfer_id = ?`, [id]);
      await dispatchTransferReservations(
        em,
        lines.map((l) => ({ sku: l.sku, warehouseCode: transfer.from_warehouse_code, quantity: l.quantity })),
      );
      const [arrival]: Array<{ expected_at: Date }> = await em.execute(
        `update transfer t set status = 'DISPATCHED', dispatched_at = now(),
           expected_at = now() + make_interval(days => coalesce((
             select l.days from transfer_lane l join warehouse f on f.id = l.from_warehouse_id join warehouse d on d.id = l.to_warehouse_id
             where f.code = t.from_warehouse_code and d.code = t.to_warehouse_code), 0))
         where id = ? returning expected_at`,
        [id],
      );
      await moveTransferEtas(em, transfer.id, new Date(arrival.expected_at), `transfer ${reference} left ${transfer.from_warehouse_code}`, orders);
      await announceStockChanges(
        em,
        lines.flatMap((l) => [
          { sku: l.sku, warehouseCode: transfer.from_warehouse_code },
          { sku: l.sku, warehouseCode: transfer.to_warehouse_code },
        ]),
      );
    });
  }

  async receive(command: TransferReceiptCommand): Promise<void> {
    if (!Array.isArray(command.lines) || command.lines.length === 0) throw badInput('lines needs at least one line', { field: 'lines' });
    for (const l of command.lines)
      if (!Number.isInteger(l.quantity) || l.quantity < 1) throw badInput('quantity must be a whole number of at least 1', { field: 'lines' });
    await this.orm.em.fork().transactional(async (em) => {
      const transfer = await lockTransfer(em, command.transferId);
      const reference = formatTransferNumber(transfer.number);
      if (transfer.status !== TransferStatus.DISPATCHED)
        throw conflict(`Transfer ${reference} is ${transfer.status}: only a dispatched transfer can be received`);
      const orders = await lockOrdersOf(em, transfer.id);
      const lines: Array<{ id: string; sku: string; quantity: number; received_quantity: number }> = await em.execute(
        `select id, sku, quantity, received_quantity from transfer_line where transfer_id = ? order by sku, id`,
        [transfer.id],
      );
      const received = allotReceipt(lines, command.lines, reference);
      await em.execute(
        `update transfer_line l set received_quantity = l.received_quantity + r.quantity
         from json_to_recordset(?::json) as r(id uuid, quantity int) where l.id = r.id`,
        [JSON.stringify(received.map((r) => ({ id: r.lineId, quantity: r.quantity })))],
      );
      // The units arrive promised to the orders the transfer was planned for.
      const movements = received.map((r) => ({ sku: r.sku, warehouseCode: transfer.to_warehouse_code, quantity: r.quantity }));
      await receiveTransferReservations(em, movements);
      const [{ complete }] = await em.execute(`select bool_and(received_quantity = quantity) as complete from transfer_line where transfer_id = ?`, [
        transfer.id,
      ]);
      if (complete) {
        await em.execute(`update transfer set status = 'RECEIVED' where id = ?`, [transfer.id]);
        await moveTransferEtas(em, transfer.id, new Date(), `transfer ${reference} arrived at ${transfer.to_warehouse_code}`, orders);
        await refreshShipmentReadiness(
          em,
          orders.map((o) => o.id),
        );
        await recordOrderEvents(
          em,
          orders.map((o) => ({
            orderId: o.id,
            customerId: o.customer_id,
            type: OrderEventType.NOTE_ADDED,
            status: o.status,
            message: `Transfer ${reference} arrived at ${transfer.to_warehouse_code}`,
          })),
        );
      }
      await announceStockChanges(
        em,
        movements.map(({ sku, warehouseCode }) => ({ sku, warehouseCode })),
      );
    });
  }

  /** Transfers, newest first. */
  list(em: EntityManager, filter: TransferFilter = {}, page: PageRequest = {}): Promise<Page<Transfer>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) (where.push('t.status = ?'), params.push(filter.status));
    if (filter.fromWarehouseCode) (where.push('t.from_warehouse_code = ?'), params.push(filter.fromWarehouseCode));
    if (filter.toWarehouseCode) (where.push('t.to_warehouse_code = ?'), params.push(filter.toWarehouseCode));
    if (filter.sku) (where.push('exists (select 1 from transfer_line l where l.transfer_id = t.id and l.sku = ?)'), params.push(filter.sku));
    return pageOfEntities(em, Transfer, 'transfer', { where, params }, 't.number desc', page);
  }
}

/**
 * Orders before stock, as everywhere: the allocator locks orders, then stock rows. Dispatching or receiving a
 * transfer changes each of its orders (ETAs, readiness), so their versions go up.
 */
async function lockOrdersOf(em: EntityManager, transferId: string): Promise<Array<{ id: string; customer_id: string; status: OrderStatus }>> {
  const orders: Array<{ id: string; customer_id: string; status: OrderStatus }> = await em.execute(
    `select o.id, o.customer_id, o.status from sales_order o
     where o.id in (select a.order_id from allocation a where a.transfer_id = ? and a.status = 'ACTIVE') order by o.id for update`,
    [transferId],
  );
  if (orders.length > 0) {
    await em.execute(`update sales_order set version = version + 1 where id = any(?::uuid[])`, [sqlArray(orders.map((o) => o.id))]);
  }
  return orders;
}

async function lockTransfer(em: EntityManager, id: string) {
  const [transfer] = await em.execute(
    `select id, number::text as number, status, from_warehouse_code, to_warehouse_code from transfer where id = ? for update`,
    [id],
  );
  if (!transfer) throw notFound(`No transfer ${id}`);
  return transfer as { id: string; number: string; status: TransferStatus; from_warehouse_code: string; to_warehouse_code: string };
}
