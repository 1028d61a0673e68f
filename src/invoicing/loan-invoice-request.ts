import { validUnitPrice, type PriceInput } from '../orders/unit-price';
import { checkLines } from '../returns/return-quantities';
import type { DecimalString } from '../shared/decimal';
import { badInput, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import { validTaxRate } from './invoice-money';

/** Units of one SKU of the loan to sell, at a price: a loan has no order line to take one from. */
export interface LoanInvoiceLineRequest {
  sku: string;
  quantity: number;
  unitPrice: PriceInput;
}

export interface LoanInvoiceCommand {
  loanId: string;
  /** The loan's version the caller saw; a stale one is a CONFLICT. */
  expectedVersion: number;
  /** Required, one per SKU, each with its unitPrice. */
  lines: LoanInvoiceLineRequest[];
  /** The invoice's currency; a loan lent against an order must use the order's. */
  currency: string;
  /** Percent over every line; left out: the order's rate (loan lent against an order), else each product's, else 0. */
  taxRate?: string | number | null;
  /** A cash sale: paid on issue. */
  cashSale?: boolean | null;
}

export interface CheckedLoanInvoice {
  loanId: string;
  expectedVersion: number;
  currency: string;
  taxRate: DecimalString | null;
  cashSale: boolean;
  lines: Array<{ sku: string; quantity: number; unitPrice: DecimalString }>;
}

export const MAX_LOAN_INVOICE_LINES = 100;

/**
 * The shape of an invoiceLoan request, pure: every refusal is BAD_USER_INPUT naming its field (an id that is not a
 * UUID is NOT_FOUND, like one that names nothing). What the loan itself allows (SKUs on it, units still out, version,
 * the order's currency) is checked under its lock.
 */
export function checkLoanInvoiceRequest(command: LoanInvoiceCommand): CheckedLoanInvoice {
  if (!isUuid(command.loanId)) throw notFound(`No loan ${command.loanId}`);
  if (!Number.isInteger(command.expectedVersion) || command.expectedVersion < 1) {
    throw badInput('expectedVersion must be a whole number of at least 1', { field: 'expectedVersion' });
  }
  const currency = command.currency;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw badInput('currency must be a three-letter ISO 4217 code such as EUR', { field: 'currency' });
  }
  if (Array.isArray(command.lines) && command.lines.length > MAX_LOAN_INVOICE_LINES) {
    throw badInput(`lines may hold at most ${MAX_LOAN_INVOICE_LINES} lines`, { field: 'lines' });
  }
  checkLines(command.lines);
  const seen = new Set<string>();
  const lines = command.lines.map((line, i) => {
    if (seen.has(line.sku))
      throw badInput(`lines[${i}].sku: ${line.sku} appears twice (one line per SKU, with one price)`, { field: `lines[${i}].sku` });
    seen.add(line.sku);
    const field = `lines[${i}].unitPrice`;
    if (line.unitPrice === null || line.unitPrice === undefined)
      throw badInput(`${field} is required: a loan has no order line to take a price from`, { field });
    return { sku: line.sku, quantity: line.quantity, unitPrice: validUnitPrice(line.unitPrice, currency, field) };
  });
  return {
    loanId: command.loanId,
    expectedVersion: command.expectedVersion,
    currency,
    taxRate: command.taxRate == null ? null : validTaxRate(command.taxRate, 'taxRate'),
    cashSale: command.cashSale === true,
    lines,
  };
}
