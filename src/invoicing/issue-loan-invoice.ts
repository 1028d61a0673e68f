import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { LoanSale, sellLoanUnits } from '../loans/loan.service';
import { recordOrderEvents } from '../orders/order-events';
import { OrderEventType, OrderStatus } from '../orders/order.enums';
import { describeUnits } from '../returns/return-quantities';
import { parseDecimal } from '../shared/decimal';
import { badInput } from '../shared/errors';
import { priceLine, sumAmounts } from './invoice-money';
import type { InvoicingActor } from './invoicing-actor';
import { DocumentSeries, InvoiceKind } from './invoicing.enums';
import type { IssuedInvoice } from './issue-invoice';
import { CheckedLoanInvoice, checkLoanInvoiceRequest, LoanInvoiceCommand } from './loan-invoice-request';
import { takeDocumentNumber } from './take-document-number';

/**
 * Ends units of a loan by invoicing them, in the caller's transaction (pass its em): the loan is locked (its order
 * first, when it was lent against one) and its version checked, the units leave stock (`sellLoanUnits`), and a
 * LOAN invoice is issued with the next number of the INV series, priced by invoice-money.ts. A loan lent against an
 * order also puts INVOICE_ISSUED on that order's timeline (so on its subscriptions and webhooks). Any refusal
 * rolls the whole transaction back: stock, loan, invoice and counter stay as they were.
 */
export async function invoiceLoan(em: EntityManager, command: LoanInvoiceCommand, actor: InvoicingActor): Promise<IssuedInvoice> {
  const request = checkLoanInvoiceRequest(command);
  const issued: { invoice?: IssuedInvoice & { gross: string } } = {};
  const sale = await sellLoanUnits(
    em,
    { loanId: request.loanId, expectedVersion: request.expectedVersion, lines: request.lines.map(({ sku, quantity }) => ({ sku, quantity })) },
    actor,
    async (sold) => {
      issued.invoice = await writeLoanInvoice(em, sold, request, actor);
      return issued.invoice.number;
    },
  );
  const invoice = issued.invoice;
  if (!invoice) throw new Error('sellLoanUnits did not bill the sale');
  if (sale.orderId) {
    const [order]: Array<{ status: OrderStatus }> = await em.execute(
      `update sales_order set version = version + 1, updated_at = now() where id = ? returning status`,
      [sale.orderId],
    );
    await recordOrderEvents(em, [
      {
        orderId: sale.orderId,
        customerId: sale.customerId,
        type: OrderEventType.INVOICE_ISSUED,
        status: order.status,
        message:
          `Invoice ${invoice.number} issued by ${actor.name} for ${describeUnits(sale.lines)} kept from loan ${sale.reference}, ` +
          `${request.currency} ${invoice.gross} with tax${request.cashSale ? ', paid (cash sale)' : ''}`,
      },
    ]);
  }
  return { invoiceId: invoice.invoiceId, number: invoice.number };
}

/** Prices the sold units (the request's prices; tax: the request's rate, else the order's, else the product's, else 0) and writes the invoice. */
async function writeLoanInvoice(
  em: EntityManager,
  sale: LoanSale,
  request: CheckedLoanInvoice,
  actor: InvoicingActor,
): Promise<IssuedInvoice & { gross: string }> {
  const [order]: Array<{ number: string; currency: string; tax_rate: string | null }> = sale.orderId
    ? await em.execute(`select number::text as number, currency, tax_rate::text as tax_rate from sales_order where id = ?`, [sale.orderId])
    : [];
  if (order && order.currency !== request.currency) {
    throw badInput(`currency must be ${order.currency}: loan ${sale.reference} was lent against an order in ${order.currency}`, {
      field: 'currency',
      currency: order.currency,
    });
  }
  const products: Array<{ sku: string; name: string; tax_rate: string | null }> = await em.execute(
    `select sku, name, tax_rate::text as tax_rate from product where sku = any(?::text[])`,
    [sqlArray(sale.lines.map((l) => l.sku))],
  );
  const lines = request.lines.map((wanted, i) => {
    const sold = sale.lines.find((l) => l.sku === wanted.sku)!;
    const product = products.find((p) => p.sku === wanted.sku);
    const taxRate = request.taxRate ?? parseDecimal(order?.tax_rate ?? product?.tax_rate ?? '0');
    return {
      line_no: i + 1,
      loan_line_id: sold.loanLineId,
      sku: wanted.sku,
      description: product?.name ?? wanted.sku,
      unit_price: wanted.unitPrice,
      quantity: sold.quantity,
      tax_rate: taxRate,
      ...priceLine(wanted.unitPrice, sold.quantity, taxRate, request.currency),
    };
  });
  const totals = sumAmounts(lines, request.currency);
  const number = await takeDocumentNumber(em, DocumentSeries.INVOICE);
  const [invoice]: Array<{ id: string }> = await em.execute(
    `insert into invoice (id, number, kind, loan_id, customer_id, currency, net_total, tax_total, gross_total, issued_by, paid_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, case when ? then now() end) returning id`,
    [number, InvoiceKind.LOAN, sale.loanId, sale.customerId, request.currency, totals.net, totals.tax, totals.gross, actor.name, request.cashSale],
  );
  await em.execute(
    `insert into invoice_line (id, invoice_id, line_no, loan_line_id, sku, description, unit_price, quantity, tax_rate, net, tax, gross)
     select gen_random_uuid(), ?, r.line_no, r.loan_line_id, r.sku, r.description, r.unit_price, r.quantity, r.tax_rate, r.net, r.tax, r.gross
     from json_to_recordset(?::json) as r(line_no int, loan_line_id uuid, sku text, description text,
                                             unit_price numeric, quantity int, tax_rate numeric, net numeric, tax numeric, gross numeric)`,
    [invoice.id, JSON.stringify(lines)],
  );
  return { invoiceId: invoice.id, number, gross: totals.gross };
}
