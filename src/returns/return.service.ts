import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { sqlArray } from '../db/sql';
import { receiveIntoStock } from '../inventory/stock-movements';
import type { Actor } from '../orders/order-actions.service';
import { OrderAction, requireTransition } from '../orders/order-lifecycle';
import { recordOrderEvents } from '../orders/order-events';
import { LockedOrder, lockOrder } from '../orders/order-status-sync';
import { requireRecordVersion, requireVersion } from '../orders/order-version';
import { OrderEventType, OrderFlag, OrderStatus } from '../orders/order.enums';
import { placeOrder } from '../orders/place-order';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { formatOrderNumber, formatReturnNumber } from '../shared/document-numbers';
import { badInput, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import { ReturnCondition, ReturnStatus } from './return.enums';
import {
  allotReturnReceipt,
  authorisableLines,
  describeUnits as units,
  exchangeLines,
  ReceiptLineInput,
  refundableQuantity,
  refundLines,
  ReturnLineState,
  SkuQuantity,
  validReason,
} from './return-quantities';

export interface AuthoriseReturnCommand {
  orderId: string;
  /** The order's version the agent saw. */
  expectedVersion: number;
  lines: SkuQuantity[];
  reason: string;
}

export interface ReceiveReturnCommand {
  returnId: string;
  /** The return's version. */
  expectedVersion: number;
  lines: ReceiptLineInput[];
}

export interface CreateExchangeCommand {
  returnId: string;
  expectedVersion: number;
  /** Left out: every unit not yet replaced or refunded. */
  lines?: SkuQuantity[] | null;
}

export interface RecordRefundCommand {
  returnId: string;
  lines: SkuQuantity[];
}

interface LockedReturn {
  id: string;
  reference: string;
  version: number;
  order: LockedOrder;
  lines: ReturnLineState[];
}

/**
 * Return authorisations (RMA) for shipped units, their receipts (sellable units back on hand and offered to waiting
 * backorders at once, damaged ones written off), and exchanges (a REPLACEMENT order placed through the normal order
 * path). Every step locks the order before anything else (orders before stock rows, as everywhere), writes an event
 * on its timeline and raises its version.
 */
export class ReturnService {
  constructor(private readonly orm: MikroORM) {}

  /** Returns the new return's id. */
  async authorise(command: AuthoriseReturnCommand, actor: Actor): Promise<string> {
    const reason = validReason(command.reason);
    if (!isUuid(command.orderId)) throw notFound(`No order ${command.orderId}`);
    return this.orm.em.fork().transactional(async (em) => {
      const order = await lockOrder(em, command.orderId);
      if (!order) throw notFound(`No order ${command.orderId}`);
      requireVersion(order, command.expectedVersion);
      requireTransition(order, OrderAction.AUTHORISE_RETURN);
      const shipped = await quantities(
        em,
        `select sku, sum(shipped_quantity)::int as quantity from order_line where order_id = ? group by sku`,
        order.id,
      );
      const authorised = await quantities(
        em,
        `select l.sku, sum(l.quantity)::int as quantity from return_line l join return_authorisation r on r.id = l.return_id where r.order_id = ? group by l.sku`,
        order.id,
      );
      const lines = authorisableLines(shipped, authorised, command.lines);
      const [created] = await em.execute(
        `insert into return_authorisation (id, order_id, status, reason) values (?, ?, ?, ?) returning id, number::text as number`,
        [randomUUID(), order.id, ReturnStatus.AUTHORISED, reason],
      );
      await em.execute(
        `insert into return_line (id, return_id, sku, quantity)
         select gen_random_uuid(), ?, r.sku, r.quantity from json_to_recordset(?::json) as r(sku text, quantity int)`,
        [created.id, JSON.stringify(lines)],
      );
      await touchOrder(
        em,
        order,
        OrderEventType.RETURN_AUTHORISED,
        `${formatReturnNumber(created.number)} authorised by ${actor.name}: ${units(lines)} (${reason})`,
      );
      return created.id as string;
    });
  }

  /**
   * Receives returned units, whole or in part. SELLABLE units go on hand in the warehouse named and the allocator
   * is asked to plan the SKU again at once (as for any goods receipt), so waiting backorders take them; DAMAGED
   * units are written off: recorded with their reason, never on hand. More than authorised is refused.
   */
  async receive(command: ReceiveReturnCommand, actor: Actor): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const ret = await lockReturn(em, command.returnId, command.expectedVersion);
      requireTransition(ret.order, OrderAction.RECEIVE_RETURN);
      const increments = allotReturnReceipt(ret.lines, command.lines, ret.reference);
      const codes = [...new Set(command.lines.map((l) => l.warehouseCode))];
      const known: Array<{ code: string }> = await em.execute(`select code from warehouse where code = any(?::text[])`, [sqlArray(codes)]);
      const unknown = codes.filter((c) => !known.some((k) => k.code === c));
      if (unknown.length > 0) throw badInput(`Unknown warehouse: ${unknown.join(', ')}`, { field: 'lines', warehouseCodes: unknown });

      const sellable = command.lines.filter((l) => l.condition === ReturnCondition.SELLABLE);
      const receiptId = randomUUID();
      await em.execute(`insert into return_receipt (id, return_id) values (?, ?)`, [receiptId, ret.id]);
      await em.execute(
        `insert into return_receipt_line (id, receipt_id, sku, quantity, condition, warehouse_code, note)
         select gen_random_uuid(), ?, r.sku, r.quantity, r.condition, r.warehouse_code, r.note
         from json_to_recordset(?::json) as r(sku text, quantity int, condition text, warehouse_code text, note text)`,
        [
          receiptId,
          JSON.stringify(
            command.lines.map((l) => ({
              sku: l.sku,
              quantity: l.quantity,
              condition: l.condition,
              warehouse_code: l.warehouseCode,
              note:
                l.condition === ReturnCondition.SELLABLE
                  ? `returned on ${ret.reference}: back on hand at ${l.warehouseCode}`
                  : `written off at ${l.warehouseCode}: damaged, returned on ${ret.reference}`,
            })),
          ),
        ],
      );
      await em.execute(
        `update return_line l set received_sellable_quantity = l.received_sellable_quantity + r.sellable,
           received_damaged_quantity = l.received_damaged_quantity + r.damaged
         from json_to_recordset(?::json) as r(sku text, sellable int, damaged int) where l.return_id = ? and l.sku = r.sku`,
        [JSON.stringify(increments), ret.id],
      );
      await em.execute(
        `update return_authorisation set version = version + 1, updated_at = now(),
           status = case when (select bool_and(received_sellable_quantity + received_damaged_quantity = quantity) from return_line where return_id = ?)
                    then 'RECEIVED' else 'PARTIALLY_RECEIVED' end
         where id = ?`,
        [ret.id, ret.id],
      );
      if (sellable.length > 0) {
        const movements = sellable.map((l) => ({ sku: l.sku, warehouseCode: l.warehouseCode, quantity: l.quantity }));
        await receiveIntoStock(em, movements);
        await announceStockChanges(
          em,
          movements.map(({ sku, warehouseCode }) => ({ sku, warehouseCode })),
        );
        await requestAllocation(
          em,
          [...new Set(sellable.map((l) => l.sku))].map((sku) => ({ sku })),
          `goods returned on ${ret.reference}`,
        );
      }
      const said = (condition: ReturnCondition) => {
        const these = command.lines.filter((l) => l.condition === condition);
        return these.length ? units(these) : null;
      };
      const parts = [
        said(ReturnCondition.SELLABLE) && `${said(ReturnCondition.SELLABLE)} back on hand`,
        said(ReturnCondition.DAMAGED) && `${said(ReturnCondition.DAMAGED)} damaged, written off`,
      ].filter(Boolean);
      await touchOrder(em, ret.order, OrderEventType.RETURN_RECEIVED, `${ret.reference} received by ${actor.name}: ${parts.join('; ')}`);
    });
  }

  /**
   * A replacement order for units of the return: placed through the normal order path (placeOrder, in this
   * transaction) for the same customer, channel, currency, ship-to region, policy and priority, flagged REPLACEMENT
   * so the allocator serves it ahead of ordinary orders of its priority. Its prices are 0: the units were paid for on
   * the original order. Returns the replacement order's id.
   */
  async createExchange(command: CreateExchangeCommand, actor: Actor): Promise<string> {
    return this.orm.em.fork().transactional(async (em) => {
      const ret = await lockReturn(em, command.returnId, command.expectedVersion);
      requireTransition(ret.order, OrderAction.EXCHANGE);
      const lines = exchangeLines(ret.lines, command.lines, ret.reference);
      const [original] = await em.execute(
        `select customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags, max_warehouses from sales_order where id = ?`,
        [ret.order.id],
      );
      const exchangeId = randomUUID();
      const placed = await placeOrder(
        em,
        {
          idempotencyKey: `exchange:${exchangeId}`,
          customerId: original.customer_id,
          channel: original.channel,
          currency: original.currency,
          shipToRegion: original.ship_to_region,
          fulfilmentPolicy: original.fulfilment_policy,
          priority: original.priority,
          flags: [...new Set<OrderFlag>([...(original.flags ?? []), OrderFlag.REPLACEMENT])],
          maxWarehouses: original.max_warehouses,
          lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: '0' })),
        },
        original.fulfilment_policy,
      );
      await em.execute(`insert into exchange (id, return_id, original_order_id, replacement_order_id) values (?, ?, ?, ?)`, [
        exchangeId,
        ret.id,
        ret.order.id,
        placed.orderId,
      ]);
      await em.execute(
        `update return_line l set exchanged_quantity = l.exchanged_quantity + r.quantity
         from json_to_recordset(?::json) as r(sku text, quantity int) where l.return_id = ? and l.sku = r.sku`,
        [JSON.stringify(lines), ret.id],
      );
      await em.execute(`update return_authorisation set version = version + 1, updated_at = now() where id = ?`, [ret.id]);
      const [replacement] = await em.execute(`select number::text as number from sales_order where id = ?`, [placed.orderId]);
      const message =
        `Exchange on ${ret.reference} by ${actor.name}: ${units(lines)} replaced by ${formatOrderNumber(replacement.number)} ` +
        `for ${formatOrderNumber(ret.order.number)}, at no charge`;
      await touchOrder(em, ret.order, OrderEventType.EXCHANGE_CREATED, message);
      await recordOrderEvents(em, [
        {
          orderId: placed.orderId,
          customerId: ret.order.customerId,
          type: OrderEventType.EXCHANGE_CREATED,
          status: OrderStatus.PENDING,
          message,
        },
      ]);
      return placed.orderId;
    });
  }
}

/**
 * The refund seam for invoicing (`issueCreditNote(em, { invoiceId, lines, reason, returnId }, actor)` calls it in its
 * own transaction, which writes CREDIT_NOTE_ISSUED on the timeline): marks units of a return refunded, at most the
 * received units neither replaced nor refunded yet. Returns the units refunded.
 */
export async function recordRefund(em: EntityManager, command: RecordRefundCommand): Promise<SkuQuantity[]> {
  const ret = await lockReturn(em, command.returnId, null);
  const lines = refundLines(ret.lines, command.lines, ret.reference);
  await em.execute(
    `update return_line l set refunded_quantity = l.refunded_quantity + r.quantity
     from json_to_recordset(?::json) as r(sku text, quantity int) where l.return_id = ? and l.sku = r.sku`,
    [JSON.stringify(lines), ret.id],
  );
  await em.execute(`update return_authorisation set version = version + 1, updated_at = now() where id = ?`, [ret.id]);
  return lines;
}

/** What a credit note may still refund of a return, per SKU (locks the return as recordRefund does). */
export async function refundableUnits(em: EntityManager, returnId: string): Promise<{ orderId: string; reference: string; lines: SkuQuantity[] }> {
  const ret = await lockReturn(em, returnId, null);
  return {
    orderId: ret.order.id,
    reference: ret.reference,
    lines: ret.lines.map((l) => ({ sku: l.sku, quantity: refundableQuantity(l) })).filter((l) => l.quantity > 0),
  };
}

interface ReturnLineRow {
  sku: string;
  quantity: number;
  received_sellable_quantity: number;
  received_damaged_quantity: number;
  exchanged_quantity: number;
  refunded_quantity: number;
}

/** Locks the return's order, then the return and its lines, and checks the return's version (null: any version). */
async function lockReturn(em: EntityManager, returnId: string, expectedVersion: number | null): Promise<LockedReturn> {
  const [found] = isUuid(returnId)
    ? await em.execute<Array<{ order_id: string }>>(`select order_id from return_authorisation where id = ?`, [returnId])
    : [];
  if (!found) throw notFound(`No return ${returnId}`);
  const order = (await lockOrder(em, found.order_id))!;
  const [ret] = await em.execute<Array<{ id: string; number: string; version: number }>>(
    `select id, number::text as number, version from return_authorisation where id = ? for update`,
    [returnId],
  );
  const reference = formatReturnNumber(ret.number);
  if (expectedVersion !== null) requireRecordVersion(reference, ret.version, expectedVersion);
  const rows = await em.execute<ReturnLineRow[]>(
    `select sku, quantity, received_sellable_quantity, received_damaged_quantity, exchanged_quantity, refunded_quantity
     from return_line where return_id = ? order by sku for update`,
    [ret.id],
  );
  return {
    id: ret.id,
    reference,
    version: ret.version,
    order,
    lines: rows.map((r) => ({
      sku: r.sku,
      quantity: r.quantity,
      receivedSellable: r.received_sellable_quantity,
      receivedDamaged: r.received_damaged_quantity,
      exchanged: r.exchanged_quantity,
      refunded: r.refunded_quantity,
    })),
  };
}

/** An event on the order's timeline; its version goes up, since what it shows (its returns) changed. */
async function touchOrder(em: EntityManager, order: LockedOrder, type: OrderEventType, message: string): Promise<void> {
  await em.execute(`update sales_order set version = version + 1, updated_at = now() where id = ?`, [order.id]);
  await recordOrderEvents(em, [{ orderId: order.id, customerId: order.customerId, type, status: order.status, message }]);
}

async function quantities(em: EntityManager, sql: string, orderId: string): Promise<Map<string, number>> {
  const rows: Array<{ sku: string; quantity: number }> = await em.execute(sql, [orderId]);
  return new Map(rows.map((r) => [r.sku, r.quantity]));
}
