/**
 * Exact decimal numbers as canonical strings: an optional `-`, digits without leading zeros, and a fraction without
 * trailing zeros ("12.5", "0.3", "-4", "1200"). Money is never a binary float here: PostgreSQL keeps it in `numeric`,
 * the driver returns it as a string, and arithmetic goes through bigint.
 */
export type DecimalString = string;

export class DecimalFormatError extends Error {}

/** Longest text accepted, so that nobody makes us build a huge bigint. */
const MAX_TEXT_LENGTH = 40;
const PLAIN = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const WITH_EXPONENT = /^([+-]?)(\d+)(?:\.(\d*))?[eE]([+-]?\d+)$/;

/**
 * Reads a decimal from a string ("0.10", "-3", "12.") or a number (its shortest round-trip spelling, as JavaScript
 * prints it: 0.1 is "0.1", 0.1 + 0.2 is "0.30000000000000004"). Exponents ("1.5e3") are expanded.
 */
export function parseDecimal(value: unknown): DecimalString {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DecimalFormatError('must be a finite number');
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new DecimalFormatError('must be a decimal number or a string such as "12.50"');
  }
  if (text.length === 0 || text.length > MAX_TEXT_LENGTH)
    throw new DecimalFormatError(`must be a decimal number of at most ${MAX_TEXT_LENGTH} characters`);
  const plain = PLAIN.exec(text.endsWith('.') ? text.slice(0, -1) : text);
  if (plain) return canonical(plain[1] === '-', plain[2], plain[3] ?? '');
  const exponent = WITH_EXPONENT.exec(text);
  if (exponent) return shifted(exponent[1] === '-', exponent[2], exponent[3] ?? '', Number(exponent[4]));
  throw new DecimalFormatError(`must be a decimal number such as "12.50", got "${text.slice(0, MAX_TEXT_LENGTH)}"`);
}

function shifted(negative: boolean, whole: string, fraction: string, exponent: number): DecimalString {
  if (Math.abs(exponent) > MAX_TEXT_LENGTH) throw new DecimalFormatError(`must be a decimal number of at most ${MAX_TEXT_LENGTH} digits`);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return canonical(negative, '0', '0'.repeat(-point) + digits);
  if (point >= digits.length) return canonical(negative, digits + '0'.repeat(point - digits.length), '');
  return canonical(negative, digits.slice(0, point), digits.slice(point));
}

function canonical(negative: boolean, whole: string, fraction: string): DecimalString {
  const int = whole.replace(/^0+(?=\d)/, '');
  const frac = fraction.replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Digits after the point of a canonical decimal: "12.5" has 1, "3" has 0. */
export function fractionDigits(value: DecimalString): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

export const isNegative = (value: DecimalString): boolean => value.startsWith('-');

/** The value as an integer count of 10^-scale: ("12.5", 2) is 1250n. Needs scale >= fractionDigits(value). */
function scaled(value: DecimalString, scale: number): bigint {
  const [int, frac = ''] = value.replace('-', '').split('.');
  const units = BigInt(int + frac.padEnd(scale, '0'));
  return isNegative(value) ? -units : units;
}

function fromScaled(units: bigint, scale: number): DecimalString {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  return canonical(negative, digits.slice(0, digits.length - scale), digits.slice(digits.length - scale));
}

export function compareDecimal(a: DecimalString, b: DecimalString): -1 | 0 | 1 {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const difference = scaled(a, scale) - scaled(b, scale);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** value × factor, exactly (a line total: unit price × quantity). */
export function multiplyDecimal(value: DecimalString, factor: number): DecimalString {
  if (!Number.isSafeInteger(factor)) throw new DecimalFormatError('the factor must be a whole number');
  const scale = fractionDigits(value);
  return fromScaled(scaled(value, scale) * BigInt(factor), scale);
}

/** a + b, exactly. */
export function addDecimal(a: DecimalString, b: DecimalString): DecimalString {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  return fromScaled(scaled(a, scale) + scaled(b, scale), scale);
}

/** a − b, exactly. */
export function subtractDecimal(a: DecimalString, b: DecimalString): DecimalString {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  return fromScaled(scaled(a, scale) - scaled(b, scale), scale);
}

/** The value as a whole count of 10^-digits (money in minor units: ("12.5", 2) is 1250n); refuses a finer value. */
export function toUnits(value: DecimalString, digits: number): bigint {
  if (fractionDigits(value) > digits) throw new DecimalFormatError(`${value} is finer than ${digits} decimals`);
  return scaled(value, digits);
}

/** The inverse of toUnits: (1250n, 2) is "12.5". */
export const fromUnits = (units: bigint, digits: number): DecimalString => fromScaled(units, digits);

/** numerator / denominator rounded half away from zero to a whole number (denominator > 0). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new DecimalFormatError('the denominator must be positive');
  const magnitude = (numerator < 0n ? -numerator : numerator) * 2n + denominator;
  const rounded = magnitude / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}
