import { minorUnitDigits } from '../shared/currency';
import { compareDecimal, DecimalFormatError, DecimalString, fractionDigits, isNegative, multiplyDecimal, parseDecimal } from '../shared/decimal';
import { badInput } from '../shared/errors';

/** Highest unit price an order line may carry (order_line.unit_price is numeric(19,4), far above it). */
export const MAX_UNIT_PRICE = '1000000000';

/** A number or a decimal string, as GraphQL's Decimal scalar or a service caller passes it. */
export type PriceInput = string | number;

/**
 * The price as an exact decimal string, or BAD_USER_INPUT naming `field`: not a number, negative, finer than the
 * currency's smallest unit (EUR 2 decimals, JPY none), or above MAX_UNIT_PRICE. No price means 0.
 */
export function validUnitPrice(value: PriceInput | null | undefined, currency: string, field: string): DecimalString {
  if (value === null || value === undefined) return '0';
  let price: DecimalString;
  try {
    price = parseDecimal(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw badInput(`${field} ${error.message}`, { field });
    throw error;
  }
  if (isNegative(price)) throw badInput(`${field} must not be negative`, { field });
  const digits = minorUnitDigits(currency);
  if (fractionDigits(price) > digits) {
    throw badInput(`${field} has more decimals than ${currency} allows (at most ${digits})`, { field, maxDecimals: digits });
  }
  if (compareDecimal(price, MAX_UNIT_PRICE) > 0) throw badInput(`${field} must be at most ${MAX_UNIT_PRICE}`, { field });
  return price;
}

/** What a line is worth: its unit price times the units not cancelled, exactly. */
export const lineTotal = (line: { unitPrice: DecimalString; quantity: number; cancelledQuantity: number }): DecimalString =>
  multiplyDecimal(line.unitPrice, line.quantity - line.cancelledQuantity);
