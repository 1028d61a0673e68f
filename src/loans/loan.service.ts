import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { pageOfEntities } from '../db/entity-page';
import { sqlArray } from '../db/sql';
import { lendFromStock, settleLentStock } from '../inventory/stock-movements';
import type { Actor } from '../orders/order-actions.service';
import { OrderAction, requireTransition } from '../orders/order-lifecycle';
import { recordOrderEvents } from '../orders/order-events';
import { lockOrder } from '../orders/order-status-sync';
import { OrderEventType } from '../orders/order.enums';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { checkLines, describeUnits as units, SkuQuantity, sumBySku, validReason } from '../returns/return-quantities';
import { requireRecordVersion } from '../orders/order-version';
import { formatLoanNumber } from '../shared/document-numbers';
import { badInput, conflict, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import type { Page, PageRequest } from '../shared/pagination';
import { Loan } from './loan.entity';
import { LoanEventType, LoanStatus } from './loan.enums';

export interface LendCommand {
  customerId: string;
  warehouseCode: string;
  lines: SkuQuantity[];
  reason: string;
  /** An order of the same customer the goods are lent against: the loan's events go on its timeline too. */
  orderId?: string | null;
}

export interface SettleLoanCommand {
  loanId: string;
  expectedVersion: number;
  /** Left out: every unit still out. */
  lines?: SkuQuantity[] | null;
}

export interface LoanFilter {
  customerId?: string | null;
  status?: LoanStatus | null;
}

interface LockedLoan {
  id: string;
  reference: string;
  customerId: string;
  warehouseCode: string;
  orderId: string | null;
  lines: Array<{ id: string; sku: string; out: number }>;
}

/** What a sale settled, for the invoice that bills it: the loan (locked until the transaction ends) and the units sold. */
export interface LoanSale {
  loanId: string;
  /** LN-3. */
  reference: string;
  customerId: string;
  warehouseCode: string;
  orderId: string | null;
  lines: Array<{ loanLineId: string; sku: string; quantity: number }>;
}

/** Writes the invoice of a sale inside the sale's transaction and returns its number (named on the LOAN_SOLD event). */
export type BillLoanSale = (sale: LoanSale) => Promise<string>;

const ORDER_EVENT_OF: Record<LoanEventType, OrderEventType> = {
  [LoanEventType.LOAN_CREATED]: OrderEventType.LOAN_CREATED,
  [LoanEventType.LOAN_RETURNED]: OrderEventType.LOAN_RETURNED,
  [LoanEventType.LOAN_SOLD]: OrderEventType.LOAN_SOLD,
};

/**
 * Loans: goods lent to a customer leave on hand for `on_loan` (owned = on hand + on loan; not available), and end by
 * return (on hand again, offered to waiting backorders at once) or by sale (they leave stock; `sellLoanUnits`, which
 * invoicing's `invoiceLoan` calls in its own transaction).
 */
export class LoanService {
  constructor(private readonly orm: MikroORM) {}

  /** Returns the new loan's id. Only available units are lent (CONFLICT otherwise, nothing changes). */
  async lend(command: LendCommand, actor: Actor): Promise<string> {
    const reason = validReason(command.reason);
    if (typeof command.customerId !== 'string' || command.customerId.trim() === '') throw badInput('customerId is required', { field: 'customerId' });
    checkLines(command.lines);
    const lines = sumBySku(command.lines);
    return this.orm.em.fork().transactional(async (em) => {
      const order = command.orderId != null ? await lendingOrder(em, command.orderId, command.customerId) : null;
      const [warehouse] = await em.execute(`select code from warehouse where code = ?`, [command.warehouseCode]);
      if (!warehouse) throw badInput(`Unknown warehouse: ${command.warehouseCode}`, { field: 'warehouseCode' });
      const known: Array<{ sku: string }> = await em.execute(`select sku from product where sku = any(?::text[])`, [
        sqlArray(lines.map((l) => l.sku)),
      ]);
      const unknown = lines.filter((l) => !known.some((k) => k.sku === l.sku)).map((l) => l.sku);
      if (unknown.length > 0) throw badInput(`Unknown SKU: ${unknown.join(', ')}`, { field: 'lines', skus: unknown });

      const movements = lines.map((l) => ({ sku: l.sku, warehouseCode: command.warehouseCode, quantity: l.quantity }));
      const short = await lendFromStock(em, movements);
      if (short.length > 0) {
        throw conflict(
          `Not enough available at ${command.warehouseCode} to lend ${units(short)}: only available units (on hand − reserved − safety stock) can be lent`,
          {
            skus: short.map((s) => s.sku),
          },
        );
      }
      await em.execute(`insert into customer (id) values (?) on conflict (id) do nothing`, [command.customerId]);
      const [loan] = await em.execute(
        `insert into loan (id, customer_id, warehouse_code, order_id, status, reason) values (?, ?, ?, ?, ?, ?) returning id, number::text as number`,
        [randomUUID(), command.customerId, command.warehouseCode, order?.id ?? null, LoanStatus.OPEN, reason],
      );
      await em.execute(
        `insert into loan_line (id, loan_id, sku, quantity) select gen_random_uuid(), ?, r.sku, r.quantity from json_to_recordset(?::json) as r(sku text, quantity int)`,
        [loan.id, JSON.stringify(lines)],
      );
      await announceStockChanges(
        em,
        movements.map(({ sku, warehouseCode }) => ({ sku, warehouseCode })),
      );
      const locked: LockedLoan = {
        id: loan.id,
        reference: formatLoanNumber(loan.number),
        customerId: command.customerId,
        warehouseCode: command.warehouseCode,
        orderId: order?.id ?? null,
        lines: [],
      };
      await recordLoanEvent(
        em,
        locked,
        LoanEventType.LOAN_CREATED,
        `${locked.reference}: ${units(lines)} lent from ${command.warehouseCode} by ${actor.name} (${reason})`,
      );
      return loan.id as string;
    });
  }

  /** Lent units come back to the loan's warehouse and are offered to waiting backorders at once. */
  async returnLoan(command: SettleLoanCommand, actor: Actor): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await settleLoan(em, command, actor, true);
    });
  }

  async get(em: EntityManager, id: string): Promise<Loan | null> {
    if (!isUuid(id)) return null;
    return em.findOne(Loan, { id });
  }

  /** Loans, newest first. */
  list(em: EntityManager, filter: LoanFilter = {}, page: PageRequest = {}): Promise<Page<Loan>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.customerId) (where.push('t.customer_id = ?'), params.push(filter.customerId));
    if (filter.status) (where.push('t.status = ?'), params.push(filter.status));
    return pageOfEntities(em, Loan, 'loan', { where, params }, 't.created_at desc, t.number desc', page);
  }
}

/**
 * Ends (part of) a loan as sold, in the caller's transaction: the units leave stock (on loan falls, on hand does not
 * rise), the loan's lines, status and version move, and `bill` writes the invoice before the LOAN_SOLD event names it.
 * Called by invoicing (`invoiceLoan`), once the customer keeps the goods.
 */
export async function sellLoanUnits(em: EntityManager, command: SettleLoanCommand, actor: Actor, bill: BillLoanSale): Promise<LoanSale> {
  return settleLoan(em, command, actor, false, bill);
}

async function settleLoan(em: EntityManager, command: SettleLoanCommand, actor: Actor, back: boolean, bill?: BillLoanSale): Promise<LoanSale> {
  const loan = await lockLoan(em, command.loanId, command.expectedVersion, back ? OrderAction.RETURN_LOAN : OrderAction.SELL_LOAN);
  const lines = settledLines(loan, command.lines);
  await settleLentStock(
    em,
    lines.map((l) => ({ sku: l.sku, warehouseCode: loan.warehouseCode, quantity: l.quantity })),
    back,
  );
  const column = back ? 'returned_quantity' : 'sold_quantity';
  await em.execute(
    `update loan_line l set ${column} = l.${column} + r.quantity
     from json_to_recordset(?::json) as r(sku text, quantity int) where l.loan_id = ? and l.sku = r.sku`,
    [JSON.stringify(lines), loan.id],
  );
  await em.execute(
    `update loan set version = version + 1, updated_at = now(),
       status = case when (select bool_and(returned_quantity + sold_quantity = quantity) from loan_line where loan_id = ?) then 'CLOSED' else 'OPEN' end
     where id = ?`,
    [loan.id, loan.id],
  );
  if (back) {
    await announceStockChanges(
      em,
      lines.map((l) => ({ sku: l.sku, warehouseCode: loan.warehouseCode })),
    );
    await requestAllocation(
      em,
      lines.map((l) => ({ sku: l.sku })),
      `loan ${loan.reference} returned`,
    );
  }
  const sale: LoanSale = {
    loanId: loan.id,
    reference: loan.reference,
    customerId: loan.customerId,
    warehouseCode: loan.warehouseCode,
    orderId: loan.orderId,
    lines: lines.map((l) => ({ loanLineId: loan.lines.find((line) => line.sku === l.sku)!.id, sku: l.sku, quantity: l.quantity })),
  };
  const invoiceNumber = bill ? await bill(sale) : null;
  await recordLoanEvent(
    em,
    loan,
    back ? LoanEventType.LOAN_RETURNED : LoanEventType.LOAN_SOLD,
    back
      ? `${loan.reference}: ${units(lines)} returned to ${loan.warehouseCode} by ${actor.name}`
      : `${loan.reference}: ${units(lines)} sold to the customer${invoiceNumber ? ` on invoice ${invoiceNumber}` : ''} (${actor.name}); they leave stock`,
  );
  return sale;
}

/** What a return or sale settles: each SKU at most what is still out; left out, everything still out. */
export function settledLines(
  loan: { reference: string; lines: Array<{ sku: string; out: number }> },
  requested: SkuQuantity[] | null | undefined,
): SkuQuantity[] {
  if (requested == null) {
    const all = loan.lines.filter((l) => l.out > 0).map((l) => ({ sku: l.sku, quantity: l.out }));
    if (all.length === 0) throw conflict(`${loan.reference} is closed: nothing is out on it`);
    return all;
  }
  checkLines(requested);
  return sumBySku(requested).map(({ sku, quantity }) => {
    const line = loan.lines.find((l) => l.sku === sku);
    if (!line) throw badInput(`${loan.reference} has no line for ${sku}`, { field: 'lines', sku });
    if (quantity > line.out)
      throw badInput(`${loan.reference}: only ${line.out} × ${sku} still out, not ${quantity}`, { field: 'lines', sku, out: line.out });
    return { sku, quantity };
  });
}

async function lendingOrder(em: EntityManager, orderId: string, customerId: string) {
  const order = isUuid(orderId) ? await lockOrder(em, orderId) : null;
  if (!order) throw notFound(`No order ${orderId}`);
  if (order.customerId !== customerId) throw badInput('The order belongs to another customer than the loan', { field: 'orderId' });
  requireTransition(order, OrderAction.LEND);
  return order;
}

/** Locks the loan's order (if any), then the loan and its lines, and checks the loan's version. */
async function lockLoan(em: EntityManager, loanId: string, expectedVersion: number, action: OrderAction): Promise<LockedLoan> {
  const [found] = isUuid(loanId) ? await em.execute(`select order_id from loan where id = ?`, [loanId]) : [];
  if (!found) throw notFound(`No loan ${loanId}`);
  const order = found.order_id ? await lockOrder(em, found.order_id) : null;
  if (order) requireTransition(order, action);
  const [loan] = await em.execute(
    `select id, number::text as number, customer_id, warehouse_code, order_id, version from loan where id = ? for update`,
    [loanId],
  );
  const reference = formatLoanNumber(loan.number);
  requireRecordVersion(reference, loan.version, expectedVersion);
  const lines: Array<{ id: string; sku: string; out: number }> = await em.execute(
    `select id, sku, quantity - returned_quantity - sold_quantity as out from loan_line where loan_id = ? order by sku for update`,
    [loan.id],
  );
  return { id: loan.id, reference, customerId: loan.customer_id, warehouseCode: loan.warehouse_code, orderId: loan.order_id, lines };
}

/** On the loan's own timeline; when it was lent against an order, on that order's timeline too (and so to subscribers). */
async function recordLoanEvent(em: EntityManager, loan: LockedLoan, type: LoanEventType, message: string): Promise<void> {
  await em.execute(`insert into loan_event (loan_id, type, message) values (?, ?, ?)`, [loan.id, type, message]);
  if (!loan.orderId) return;
  const [order] = await em.execute(`update sales_order set version = version + 1, updated_at = now() where id = ? returning status`, [loan.orderId]);
  await recordOrderEvents(em, [{ orderId: loan.orderId, customerId: loan.customerId, type: ORDER_EVENT_OF[type], status: order.status, message }]);
}
