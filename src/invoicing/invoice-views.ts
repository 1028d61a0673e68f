import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { minorUnitDigits } from '../shared/currency';
import { DecimalString, fromUnits, parseDecimal, toUnits } from '../shared/decimal';
import { formatLoanNumber } from '../shared/document-numbers';
import { badInput } from '../shared/errors';
import { Page, PageRequest, pageWindow, toPage } from '../shared/pagination';
import { InvoiceKind, InvoiceStatus, OrderInvoicingStatus } from './invoicing.enums';

/** The priced fields an invoice line and a credit note line share. */
export interface PricedLineView {
  id: string;
  lineNo: number;
  sku: string;
  description: string;
  unitPrice: DecimalString;
  quantity: number;
  taxRate: DecimalString;
  lineNet: DecimalString;
  tax: DecimalString;
  lineGross: DecimalString;
}

export interface InvoiceLineView extends PricedLineView {
  /** orderId, orderLineId, shipmentId: null on a LOAN invoice's lines, which have loanLineId instead. */
  orderId: string | null;
  orderLineId: string | null;
  shipmentId: string | null;
  loanLineId: string | null;
  /** Derived from the credit notes. */
  creditedQuantity: number;
}

export interface InvoiceView {
  id: string;
  number: string;
  kind: InvoiceKind;
  /** The loan a LOAN invoice bills. */
  loan: { id: string; reference: string } | null;
  customerId: string;
  currency: string;
  issuedAt: Date;
  issuedBy: string;
  paidAt: Date | null;
  netTotal: DecimalString;
  taxTotal: DecimalString;
  grossTotal: DecimalString;
  /** Sums of its credit notes: derived, never stored on the invoice. */
  creditedNet: DecimalString;
  creditedTax: DecimalString;
  creditedGross: DecimalString;
  status: InvoiceStatus;
  lines: InvoiceLineView[];
  shipmentIds: string[];
  orderIds: string[];
  creditNoteIds: string[];
}

export interface CreditNoteLineView extends PricedLineView {
  invoiceLineId: string;
}

export interface CreditNoteView {
  id: string;
  number: string;
  invoiceId: string;
  customerId: string;
  currency: string;
  reason: string;
  returnId: string | null;
  issuedAt: Date;
  issuedBy: string;
  netTotal: DecimalString;
  taxTotal: DecimalString;
  grossTotal: DecimalString;
  lines: CreditNoteLineView[];
}

export interface InvoiceFilter {
  customerId?: string | null;
  orderId?: string | null;
  loanId?: string | null;
  status?: InvoiceStatus | null;
  kind?: InvoiceKind | null;
  number?: string | null;
  issuedFrom?: Date | null;
  issuedTo?: Date | null;
}

const ids = (values: string[]) => sqlArray(values);
const IN_IDS = `= any(?::uuid[])`;
const dec = (value: unknown): DecimalString => parseDecimal(String(value));

/** Numeric columns come back from PostgreSQL as decimal strings; timestamps as Date. */
interface PricedLineRow {
  id: string;
  line_no: number;
  sku: string;
  description: string;
  unit_price: string;
  quantity: number;
  tax_rate: string;
  net: string;
  tax: string;
  gross: string;
}

interface InvoiceLineRow extends PricedLineRow {
  invoice_id: string;
  order_id: string | null;
  order_line_id: string | null;
  shipment_id: string | null;
  loan_line_id: string | null;
  credited_quantity: number;
}

interface CreditNoteLineRow extends PricedLineRow {
  credit_note_id: string;
  invoice_line_id: string;
}

interface DocumentTotalsRow {
  net_total: string;
  tax_total: string;
  gross_total: string;
}

interface InvoiceRow extends DocumentTotalsRow {
  id: string;
  number: string;
  kind: InvoiceKind;
  customer_id: string;
  currency: string;
  loan_id: string | null;
  loan_number: string | null;
  issued_at: Date | string;
  issued_by: string;
  paid_at: Date | string | null;
}

interface CreditTotalsRow extends DocumentTotalsRow {
  id: string;
  invoice_id: string;
}

interface CreditNoteRow extends CreditTotalsRow {
  number: string;
  customer_id: string;
  currency: string;
  reason: string;
  return_id: string | null;
  issued_at: Date | string;
  issued_by: string;
}

/** Invoices by id, in the order asked (missing ones left out), with lines, credited amounts and status. */
export async function loadInvoices(em: EntityManager, invoiceIds: string[]): Promise<InvoiceView[]> {
  if (invoiceIds.length === 0) return [];
  // One statement at a time: in a read snapshot the em has one connection.
  const invoices = await em.execute<InvoiceRow[]>(
    `select i.*, n.number::text as loan_number from invoice i left join loan n on n.id = i.loan_id where i.id ${IN_IDS}`,
    [ids(invoiceIds)],
  );
  const lines = await em.execute<InvoiceLineRow[]>(
    `select l.*, coalesce((select sum(c.quantity) from credit_note_line c where c.invoice_line_id = l.id), 0)::int as credited_quantity
     from invoice_line l where l.invoice_id ${IN_IDS} order by l.invoice_id, l.line_no`,
    [ids(invoiceIds)],
  );
  const shipments = await em.execute<Array<{ shipment_id: string; invoice_id: string }>>(
    `select shipment_id, invoice_id from invoice_shipment where invoice_id ${IN_IDS} order by shipment_id`,
    [ids(invoiceIds)],
  );
  const notes = await em.execute<CreditTotalsRow[]>(
    `select id, invoice_id, net_total, tax_total, gross_total from credit_note where invoice_id ${IN_IDS} order by number`,
    [ids(invoiceIds)],
  );
  const byId = new Map<string, InvoiceView>();
  for (const row of invoices) {
    const own = lines.filter((l) => l.invoice_id === row.id).map(lineView);
    const credits = notes.filter((n) => n.invoice_id === row.id);
    const digits = minorUnitDigits(row.currency);
    const sum = (pick: keyof DocumentTotalsRow) =>
      fromUnits(
        credits.reduce((s, n) => s + toUnits(dec(n[pick]), digits), 0n),
        digits,
      );
    byId.set(row.id, {
      id: row.id,
      number: row.number,
      kind: row.kind,
      customerId: row.customer_id,
      currency: row.currency,
      loan: row.loan_id && row.loan_number !== null ? { id: row.loan_id, reference: formatLoanNumber(row.loan_number) } : null,
      issuedAt: new Date(row.issued_at),
      issuedBy: row.issued_by,
      paidAt: row.paid_at ? new Date(row.paid_at) : null,
      netTotal: dec(row.net_total),
      taxTotal: dec(row.tax_total),
      grossTotal: dec(row.gross_total),
      creditedNet: sum('net_total'),
      creditedTax: sum('tax_total'),
      creditedGross: sum('gross_total'),
      status: invoiceStatus(own, row.paid_at != null),
      lines: own,
      shipmentIds: shipments.filter((s) => s.invoice_id === row.id).map((s) => s.shipment_id),
      orderIds: [...new Set(own.flatMap((l) => l.orderId ?? []))],
      creditNoteIds: credits.map((n) => n.id),
    });
  }
  return invoiceIds.flatMap((id) => byId.get(id) ?? []);
}

const pricedLineView = (l: PricedLineRow): PricedLineView => ({
  id: l.id,
  lineNo: l.line_no,
  sku: l.sku,
  description: l.description,
  unitPrice: dec(l.unit_price),
  quantity: l.quantity,
  taxRate: dec(l.tax_rate),
  lineNet: dec(l.net),
  tax: dec(l.tax),
  lineGross: dec(l.gross),
});

const lineView = (l: InvoiceLineRow): InvoiceLineView => ({
  ...pricedLineView(l),
  orderId: l.order_id,
  orderLineId: l.order_line_id,
  shipmentId: l.shipment_id,
  loanLineId: l.loan_line_id,
  creditedQuantity: l.credited_quantity,
});

export function invoiceStatus(lines: Array<{ quantity: number; creditedQuantity: number }>, paid: boolean): InvoiceStatus {
  const credited = lines.reduce((s, l) => s + l.creditedQuantity, 0);
  if (credited > 0) return credited >= lines.reduce((s, l) => s + l.quantity, 0) ? InvoiceStatus.CREDITED : InvoiceStatus.PARTLY_CREDITED;
  return paid ? InvoiceStatus.PAID : InvoiceStatus.ISSUED;
}

/** The same rule as invoiceStatus, in SQL over the invoice aliased `t`, for filtering. */
const STATUS_SQL = `(with q as (select sum(l.quantity) as invoiced,
                       coalesce((select sum(c.quantity) from credit_note_line c join invoice_line cl on cl.id = c.invoice_line_id where cl.invoice_id = t.id), 0) as credited
                     from invoice_line l where l.invoice_id = t.id)
   select case when credited > 0 and credited >= invoiced then 'CREDITED' when credited > 0 then 'PARTLY_CREDITED'
               when t.paid_at is not null then 'PAID' else 'ISSUED' end from q)`;

/** Invoices, newest first. */
export async function listInvoices(em: EntityManager, filter: InvoiceFilter, page: PageRequest): Promise<Page<InvoiceView>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.customerId) (where.push('t.customer_id = ?'), params.push(filter.customerId));
  if (filter.orderId) (where.push('exists (select 1 from invoice_line l where l.invoice_id = t.id and l.order_id = ?)'), params.push(filter.orderId));
  if (filter.loanId) (where.push('t.loan_id = ?'), params.push(filter.loanId));
  if (filter.kind) (where.push('t.kind = ?'), params.push(filter.kind));
  if (filter.number) {
    if (!/^(INV)-\d{4}-\d{6}$/i.test(filter.number.trim())) throw badInput('number must look like INV-2026-000001', { field: 'number' });
    where.push('t.number = ?');
    params.push(filter.number.trim().toUpperCase());
  }
  if (filter.issuedFrom) (where.push('t.issued_at >= ?'), params.push(filter.issuedFrom.toISOString()));
  if (filter.issuedTo) (where.push('t.issued_at < ?'), params.push(filter.issuedTo.toISOString()));
  if (filter.status) (where.push(`${STATUS_SQL} = ?`), params.push(filter.status));
  const window = pageWindow(page);
  const condition = where.length > 0 ? where.join(' and ') : 'true';
  const [{ count }] = await em.execute(`select count(*)::int as count from invoice t where ${condition}`, params);
  const rows: Array<{ id: string }> = await em.execute(
    `select t.id from invoice t where ${condition} order by t.issued_at desc, t.number desc offset ? limit ?`,
    [...params, window.offset, window.limit + 1],
  );
  const views = await loadInvoices(
    em,
    rows.map((r) => r.id),
  );
  return toPage(views, window, count);
}

/** Credit notes by id, in the order asked, with their lines. */
export async function loadCreditNotes(em: EntityManager, creditNoteIds: string[]): Promise<CreditNoteView[]> {
  if (creditNoteIds.length === 0) return [];
  const notes = await em.execute<CreditNoteRow[]>(`select * from credit_note where id ${IN_IDS}`, [ids(creditNoteIds)]);
  const lines = await em.execute<CreditNoteLineRow[]>(
    `select * from credit_note_line where credit_note_id ${IN_IDS} order by credit_note_id, line_no`,
    [ids(creditNoteIds)],
  );
  const byId = new Map<string, CreditNoteView>();
  for (const row of notes) {
    byId.set(row.id, {
      id: row.id,
      number: row.number,
      invoiceId: row.invoice_id,
      customerId: row.customer_id,
      currency: row.currency,
      reason: row.reason,
      returnId: row.return_id ?? null,
      issuedAt: new Date(row.issued_at),
      issuedBy: row.issued_by,
      netTotal: dec(row.net_total),
      taxTotal: dec(row.tax_total),
      grossTotal: dec(row.gross_total),
      lines: lines.filter((l) => l.credit_note_id === row.id).map((l) => ({ ...pricedLineView(l), invoiceLineId: l.invoice_line_id })),
    });
  }
  return creditNoteIds.flatMap((id) => byId.get(id) ?? []);
}

export interface OrderInvoicing {
  status: OrderInvoicingStatus;
  invoiceIds: string[];
}

/** Per order: invoiced units against units not cancelled, and its invoices (oldest first). */
export async function orderInvoicing(em: EntityManager, orderIds: string[]): Promise<Map<string, OrderInvoicing>> {
  if (orderIds.length === 0) return new Map();
  const rows: Array<{ id: string; billable: number; invoiced: number; invoice_ids: string[] | null }> = await em.execute(
    `select o.id,
            (select coalesce(sum(l.quantity - l.cancelled_quantity), 0) from order_line l where l.order_id = o.id)::int as billable,
            (select coalesce(sum(il.quantity), 0) from invoice_line il where il.order_id = o.id)::int as invoiced,
            (select array_agg(i.id order by i.number) from invoice i where i.id in (select il.invoice_id from invoice_line il where il.order_id = o.id)) as invoice_ids
     from sales_order o where o.id ${IN_IDS}`,
    [ids(orderIds)],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status:
          r.invoiced === 0
            ? OrderInvoicingStatus.NOT_INVOICED
            : r.invoiced >= r.billable
              ? OrderInvoicingStatus.INVOICED
              : OrderInvoicingStatus.PARTLY_INVOICED,
        invoiceIds: r.invoice_ids ?? [],
      },
    ]),
  );
}

/** The invoice of each invoiced shipment. */
export async function shipmentInvoices(em: EntityManager, shipmentIds: string[]): Promise<Map<string, string>> {
  if (shipmentIds.length === 0) return new Map();
  const rows: Array<{ shipment_id: string; invoice_id: string }> = await em.execute(
    `select shipment_id, invoice_id from invoice_shipment where shipment_id ${IN_IDS}`,
    [ids(shipmentIds)],
  );
  return new Map(rows.map((r) => [r.shipment_id, r.invoice_id]));
}
