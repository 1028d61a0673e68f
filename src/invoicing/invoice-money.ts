import { minorUnitDigits } from '../shared/currency';
import {
  compareDecimal,
  DecimalFormatError,
  DecimalString,
  divideRoundHalfUp,
  fractionDigits,
  fromUnits,
  isNegative,
  multiplyDecimal,
  parseDecimal,
  toUnits,
} from '../shared/decimal';
import { badInput, conflict } from '../shared/errors';

/**
 * The money of invoices and credit notes, pure. The rounding rule: a line's net is unit price × quantity, exact (a
 * price is never finer than its currency's minor unit); its tax is net × rate / 100 rounded half up (away from zero)
 * to the currency's minor unit, once per line; gross = net + tax; totals are the sums of the rounded lines.
 */

/** A tax rate is a percentage ("25", "12.5") from 0 to 100 with at most 4 decimals (stored as numeric(7,4)). */
export const MAX_TAX_RATE = '100';
export const TAX_RATE_DIGITS = 4;
const RATE_SCALE = 10n ** BigInt(TAX_RATE_DIGITS);

export interface LineAmounts {
  net: DecimalString;
  tax: DecimalString;
  gross: DecimalString;
}

/** The rate as a canonical decimal, or BAD_USER_INPUT naming `field`. */
export function validTaxRate(value: unknown, field: string): DecimalString {
  let rate: DecimalString;
  try {
    rate = parseDecimal(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw badInput(`${field} ${error.message}`, { field });
    throw error;
  }
  if (isNegative(rate) || compareDecimal(rate, MAX_TAX_RATE) > 0)
    throw badInput(`${field} must be a percentage from 0 to ${MAX_TAX_RATE}`, { field });
  if (fractionDigits(rate) > TAX_RATE_DIGITS) throw badInput(`${field} may have at most ${TAX_RATE_DIGITS} decimals`, { field });
  return rate;
}

/** Tax on a net amount in minor units, rounded half up to a whole minor unit. */
function taxUnits(netUnits: bigint, rate: DecimalString): bigint {
  return divideRoundHalfUp(netUnits * toUnits(rate, TAX_RATE_DIGITS), 100n * RATE_SCALE);
}

/** One invoice line's net, tax and gross in `currency`. */
export function priceLine(unitPrice: DecimalString, quantity: number, taxRate: DecimalString, currency: string): LineAmounts {
  const digits = minorUnitDigits(currency);
  const net = toUnits(multiplyDecimal(unitPrice, quantity), digits);
  const tax = taxUnits(net, taxRate);
  return { net: fromUnits(net, digits), tax: fromUnits(tax, digits), gross: fromUnits(net + tax, digits) };
}

/** Sums of lines, exactly. */
export function sumAmounts(lines: LineAmounts[], currency: string): LineAmounts {
  const digits = minorUnitDigits(currency);
  const total = (pick: (l: LineAmounts) => DecimalString) =>
    fromUnits(
      lines.reduce((s, l) => s + toUnits(pick(l), digits), 0n),
      digits,
    );
  return { net: total((l) => l.net), tax: total((l) => l.tax), gross: total((l) => l.gross) };
}

export interface InvoicedLine {
  quantity: number;
  net: DecimalString;
  tax: DecimalString;
}

export interface CreditedSoFar {
  quantity: number;
  net: DecimalString;
  tax: DecimalString;
}

/**
 * What crediting `quantity` more units of an invoice line is worth, after its earlier credit notes. Rounded
 * cumulatively: once C of the line's N units are credited, C/N of its net and of its tax are (each rounded half up),
 * so credits in any number of parts add up to the line exactly and never exceed it. More units than are still
 * uncredited: CONFLICT.
 */
export function creditAmounts(line: InvoicedLine, credited: CreditedSoFar, quantity: number, currency: string): LineAmounts {
  const left = line.quantity - credited.quantity;
  if (!Number.isInteger(quantity) || quantity < 1) throw badInput('A credited quantity must be a whole number of at least 1', { field: 'quantity' });
  if (quantity > left) {
    throw conflict(`Only ${left} of ${line.quantity} units of this invoice line are still uncredited`, { uncreditedQuantity: left, quantity });
  }
  const digits = minorUnitDigits(currency);
  const share = (amount: DecimalString, already: DecimalString) =>
    divideRoundHalfUp(toUnits(amount, digits) * BigInt(credited.quantity + quantity), BigInt(line.quantity)) - toUnits(already, digits);
  const net = share(line.net, credited.net);
  const tax = share(line.tax, credited.tax);
  return { net: fromUnits(net, digits), tax: fromUnits(tax, digits), gross: fromUnits(net + tax, digits) };
}
