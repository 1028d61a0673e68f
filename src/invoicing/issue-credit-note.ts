import type { EntityManager } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { OrderEventType } from '../orders/order.enums';
import { parseDecimal } from '../shared/decimal';
import { badInput, conflict, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import { OrderAction, requireTransition } from '../orders/order-lifecycle';
import { recordRefund, refundableUnits } from '../returns/return.service';
import { describeUnits, SkuQuantity } from '../returns/return-quantities';
import { creditAmounts, LineAmounts, sumAmounts } from './invoice-money';
import { InvoicingActor, lockOrders, raiseOrderVersions } from './invoicing-actor';
import { DocumentSeries } from './invoicing.enums';
import { takeDocumentNumber } from './take-document-number';

/** Units of one invoice line to credit, named by the line's id or by SKU (then spread over its lines with that SKU, in line order). */
export interface CreditLineRequest {
  invoiceLineId?: string | null;
  sku?: string | null;
  quantity: number;
}

export interface CreditNoteCommand {
  invoiceId: string;
  /** Left out: everything on the invoice not credited yet. */
  lines?: CreditLineRequest[] | null;
  reason: string;
  /**
   * The return this refunds. Only the lines of the return's order are credited, each SKU at most the return's
   * refundable units (received, neither replaced nor refunded: BAD_USER_INPUT otherwise), and the refund is recorded
   * on the return in the same transaction. Left-out `lines` then mean every refundable unit still uncredited here.
   */
  returnId?: string | null;
}

export interface IssuedCreditNote {
  creditNoteId: string;
  number: string;
}

const MAX_REASON = 500;

interface InvoiceLineRow {
  id: string;
  /** Null on a loan invoice's lines. */
  order_id: string | null;
  sku: string;
  description: string;
  unit_price: string;
  quantity: number;
  tax_rate: string;
  net: string;
  tax: string;
  credited_quantity: number;
  credited_net: string;
  credited_tax: string;
}

/**
 * Issues a credit note against an invoice: whole (no `lines`) or per line, each at most what is still uncredited on
 * that invoice line (CONFLICT otherwise). Runs in the caller's transaction (pass its em): the invoice's orders are
 * locked, then the invoice row, so concurrent credit notes of one invoice queue and can never together credit more
 * than was invoiced. Each affected order gets a CREDIT_NOTE_ISSUED event. The invoice itself is never changed.
 * With a `returnId` it is a refund: two refunds of one return queue on its order's lock (every invoice billing the
 * return's units carries lines of that order), so they can never together refund a unit twice.
 */
export async function issueCreditNote(em: EntityManager, command: CreditNoteCommand, actor: InvoicingActor): Promise<IssuedCreditNote> {
  if (!isUuid(command.invoiceId)) throw notFound(`No invoice ${command.invoiceId}`);
  const reason = typeof command.reason === 'string' ? command.reason.trim() : '';
  if (reason === '') throw badInput('reason is required', { field: 'reason' });
  if (reason.length > MAX_REASON) throw badInput(`reason is longer than ${MAX_REASON} characters`, { field: 'reason' });
  if (command.returnId != null && !isUuid(command.returnId)) throw notFound(`No return ${command.returnId}`);
  if (command.lines != null && command.lines.length === 0)
    throw badInput('lines needs at least one line (leave it out to credit the whole invoice)', { field: 'lines' });

  const [invoice]: Array<{ id: string; number: string; customer_id: string; currency: string }> = await em.execute(
    `select id, number, customer_id, currency from invoice where id = ?`,
    [command.invoiceId],
  );
  if (!invoice) throw notFound(`No invoice ${command.invoiceId}`);
  // A loan invoice's lines have no order: its credit notes lock none and write no order event.
  const orderRows: Array<{ order_id: string }> = await em.execute(
    `select distinct order_id from invoice_line where invoice_id = ? and order_id is not null`,
    [invoice.id],
  );
  const orders = await lockOrders(
    em,
    orderRows.map((r) => r.order_id),
  );
  await em.execute(`select id from invoice where id = ? for update`, [invoice.id]);
  const allLines: InvoiceLineRow[] = await em.execute(
    `select l.id, l.order_id, l.sku, l.description, l.unit_price::text as unit_price, l.quantity, l.tax_rate::text as tax_rate, l.net::text as net, l.tax::text as tax,
            coalesce(c.quantity, 0)::int as credited_quantity, coalesce(c.net, 0)::text as credited_net, coalesce(c.tax, 0)::text as credited_tax
     from invoice_line l
     left join (select invoice_line_id, sum(quantity) as quantity, sum(net) as net, sum(tax) as tax from credit_note_line group by invoice_line_id) c
       on c.invoice_line_id = l.id
     where l.invoice_id = ? order by l.line_no`,
    [invoice.id],
  );
  const refund = command.returnId != null ? await refundScope(em, command.returnId, invoice.number, allLines) : null;
  const invoiceLines = refund ? allLines.filter((l) => l.order_id === refund.orderId) : allLines;
  if (refund && command.lines == null && refund.lines.length === 0) {
    throw conflict(`Invoice ${invoice.number} has nothing left uncredited of what ${refund.reference} may refund`, { returnId: refund.returnId });
  }
  const wanted = creditedQuantities(invoiceLines, command.lines ?? refund?.lines ?? null, invoice.number);
  const refunded = refund ? await recordRefund(em, { returnId: refund.returnId, lines: skuTotals(invoiceLines, wanted) }) : null;
  const lines = invoiceLines
    .filter((l) => wanted.has(l.id))
    .map((l, i) => {
      const quantity = wanted.get(l.id)!;
      const amounts: LineAmounts = creditAmounts(
        { quantity: l.quantity, net: parseDecimal(l.net), tax: parseDecimal(l.tax) },
        { quantity: l.credited_quantity, net: parseDecimal(l.credited_net), tax: parseDecimal(l.credited_tax) },
        quantity,
        invoice.currency,
      );
      return {
        line_no: i + 1,
        invoice_line_id: l.id,
        order_id: l.order_id,
        sku: l.sku,
        description: l.description,
        unit_price: parseDecimal(l.unit_price),
        quantity,
        tax_rate: parseDecimal(l.tax_rate),
        ...amounts,
      };
    });
  const totals = sumAmounts(lines, invoice.currency);
  const number = await takeDocumentNumber(em, DocumentSeries.CREDIT_NOTE);
  const [note]: Array<{ id: string }> = await em.execute(
    `insert into credit_note (id, number, invoice_id, customer_id, currency, reason, return_id, net_total, tax_total, gross_total, issued_by)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    [number, invoice.id, invoice.customer_id, invoice.currency, reason, command.returnId ?? null, totals.net, totals.tax, totals.gross, actor.name],
  );
  await em.execute(
    `insert into credit_note_line (id, credit_note_id, line_no, invoice_line_id, sku, description, unit_price, quantity, tax_rate, net, tax, gross)
     select gen_random_uuid(), ?, r.line_no, r.invoice_line_id, r.sku, r.description, r.unit_price, r.quantity, r.tax_rate, r.net, r.tax, r.gross
     from json_to_recordset(?::json) as r(line_no int, invoice_line_id uuid, sku text, description text, unit_price numeric, quantity int,
                                             tax_rate numeric, net numeric, tax numeric, gross numeric)`,
    [note.id, JSON.stringify(lines)],
  );
  const affected = orders.filter((o) => lines.some((l) => l.order_id === o.id));
  for (const order of affected) requireTransition(order, OrderAction.CREDIT);
  await recordOrderEvents(
    em,
    affected.map((order) => {
      const own = lines.filter((l) => l.order_id === order.id);
      const units = own.reduce((s, l) => s + l.quantity, 0);
      return {
        orderId: order.id,
        customerId: order.customerId,
        type: OrderEventType.CREDIT_NOTE_ISSUED,
        status: order.status,
        message:
          `Credit note ${number} on invoice ${invoice.number} issued by ${actor.name}: ${units} unit${units === 1 ? '' : 's'} of this order, ` +
          `${invoice.currency} ${sumAmounts(own, invoice.currency).gross} with tax (${reason})` +
          (refunded && refund ? `, refunding ${describeUnits(refunded)} returned on ${refund.reference}` : ''),
      };
    }),
  );
  await raiseOrderVersions(em, affected);
  return { creditNoteId: note.id, number };
}

interface RefundScope {
  returnId: string;
  reference: string;
  orderId: string;
  /** What to credit when no lines are given: each refundable SKU, up to what this invoice still has uncredited of it. */
  lines: CreditLineRequest[];
}

/** The return being refunded: it must be of an order this invoice bills. */
async function refundScope(em: EntityManager, returnId: string, invoiceNumber: string, lines: InvoiceLineRow[]): Promise<RefundScope> {
  const [found]: Array<{ order_id: string }> = await em.execute(`select order_id from return_authorisation where id = ?`, [returnId]);
  if (!found) throw notFound(`No return ${returnId}`);
  // Checked before the return is locked: its order must be one this transaction holds already.
  const own = lines.filter((l) => l.order_id === found.order_id);
  if (own.length === 0) throw badInput(`Invoice ${invoiceNumber} bills nothing of the order this return is from`, { field: 'returnId' });
  const refundable = await refundableUnits(em, returnId);
  if (refundable.lines.length === 0) {
    throw badInput(`${refundable.reference} has no units left to refund: only received units neither replaced nor refunded are`, {
      field: 'returnId',
    });
  }
  const uncredited = (sku: string) => own.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity - l.credited_quantity, 0);
  const creditable = refundable.lines.map((l) => ({ sku: l.sku, quantity: Math.min(l.quantity, uncredited(l.sku)) })).filter((l) => l.quantity > 0);
  return { returnId, reference: refundable.reference, orderId: refundable.orderId, lines: creditable };
}

/** The units to credit per SKU (what a refund records on the return). */
function skuTotals(lines: InvoiceLineRow[], wanted: Map<string, number>): SkuQuantity[] {
  const totals = new Map<string, number>();
  for (const l of lines) if (wanted.has(l.id)) totals.set(l.sku, (totals.get(l.sku) ?? 0) + wanted.get(l.id)!);
  return [...totals].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Units to credit per invoice line id: every uncredited unit, or the requested lines resolved by id or SKU. */
function creditedQuantities(lines: InvoiceLineRow[], requests: CreditLineRequest[] | null, invoiceNumber: string): Map<string, number> {
  const wanted = new Map<string, number>();
  const left = (l: InvoiceLineRow) => l.quantity - l.credited_quantity - (wanted.get(l.id) ?? 0);
  if (requests === null) {
    for (const l of lines) if (left(l) > 0) wanted.set(l.id, left(l));
    if (wanted.size === 0) throw conflict(`Invoice ${invoiceNumber} is fully credited already`);
    return wanted;
  }
  requests.forEach((request, i) => {
    const field = `lines[${i}]`;
    if (!Number.isInteger(request.quantity) || request.quantity < 1)
      throw badInput(`${field}.quantity must be a whole number of at least 1`, { field: `${field}.quantity` });
    if ((request.invoiceLineId == null) === (request.sku == null)) throw badInput(`${field} needs either invoiceLineId or sku`, { field });
    const candidates =
      request.invoiceLineId != null ? lines.filter((l) => l.id === request.invoiceLineId) : lines.filter((l) => l.sku === request.sku);
    if (candidates.length === 0) {
      throw badInput(
        `${field}: invoice ${invoiceNumber} has no line ${request.invoiceLineId != null ? request.invoiceLineId : `for ${request.sku}`}`,
        { field },
      );
    }
    const available = candidates.reduce((s, l) => s + left(l), 0);
    if (request.quantity > available) {
      throw conflict(
        `${field}: only ${available} unit${available === 1 ? ' is' : 's are'} still uncredited on invoice ${invoiceNumber}, not ${request.quantity}`,
        {
          field,
          uncreditedQuantity: available,
        },
      );
    }
    let rest = request.quantity;
    for (const l of candidates) {
      const take = Math.min(rest, left(l));
      if (take > 0) wanted.set(l.id, (wanted.get(l.id) ?? 0) + take);
      rest -= take;
    }
  });
  return wanted;
}
