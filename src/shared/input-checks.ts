import { compareDecimal, DecimalFormatError, DecimalString, isNegative, parseDecimal } from './decimal';
import { DomainError, badInput, notFound } from './errors';

/**
 * Shape checks of single input values, before any service or the database sees them. Each check throws a
 * DomainError whose `details.field` names the value's path (`input.lines[0].sku`). Pure: no I/O.
 */

/** PostgreSQL `integer` (int4). */
export const INT4_MAX = 2_147_483_647;
/** Most units of one line, receipt line or availability question. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** Most units on hand of one product in one warehouse: far below int4, so sums of a few stay representable. */
export const MAX_ON_HAND = 1_000_000_000;
/** Longest span in days (lead times, lanes, transfer preference): ten years keeps every ETA a valid date. */
export const MAX_DAYS = 3_650;
export const EARLIEST_DATE = new Date('1970-01-01T00:00:00.000Z');
export const LATEST_DATE = new Date('9999-12-31T23:59:59.999Z');

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a record id (a UUID), for services that answer "nothing" rather than a database error. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);
/** C0 controls, DEL and C1 controls; `multiline` text may hold tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Half of a UTF-16 pair without its other half: not text, and PostgreSQL would silently store U+FFFD instead. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface TextRule {
  max: number;
  /** Allows tab and line breaks (free text such as a reason). */
  multiline?: boolean;
}

export interface NumberRule {
  min: number;
  max: number;
}

export interface ListRule {
  min: number;
  max: number;
}

const describe = (field: string) => ({ field });

/** A value to quote in a message: short, with control characters escaped, so the message itself stays clean. */
export function quoteValue(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(shown).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function checkText(value: unknown, field: string, rule: TextRule): void {
  if (typeof value !== 'string') throw badInput(`${field} must be text`, describe(field));
  if (value.length > rule.max) throw badInput(`${field} is longer than ${rule.max} characters`, describe(field));
  const control = (rule.multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw badInput(`${field} must not contain control characters (found U+${code})`, describe(field));
  }
  if (LONE_SURROGATE.test(value)) throw badInput(`${field} is not well-formed Unicode (a lone surrogate)`, describe(field));
}

/**
 * Record ids are UUIDs. One that is not names no record: NOT_FOUND, like a well-formed id that names nothing, so a
 * caller needs one rule for both.
 */
export function checkUuid(value: unknown, field: string): void {
  if (!isUuid(value)) {
    throw notFoundField(`${field}: nothing has the id ${quoteValue(String(value))} (ids are UUIDs)`, field);
  }
}

function notFoundField(message: string, field: string): DomainError {
  const error = notFound(message);
  return new DomainError(error.code, error.message, describe(field));
}

export function checkInteger(value: unknown, field: string, rule: NumberRule): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badInput(`${field} must be a whole number`, describe(field));
  if (value < rule.min || value > rule.max) throw badInput(`${field} must be from ${rule.min} to ${rule.max}, got ${value}`, describe(field));
}

export function checkDecimal(value: unknown, field: string, rule: NumberRule): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput(`${field} must be a finite number`, describe(field));
  if (value < rule.min || value > rule.max) throw badInput(`${field} must be from ${rule.min} to ${rule.max}, got ${value}`, describe(field));
}

/** A database serial id (bigint, as text): NOT_FOUND otherwise, like a UUID id that names nothing. */
/** Whether a value is a database serial id (a bigint as text). */
export const isSerialId = (value: unknown): value is string => typeof value === 'string' && /^[1-9][0-9]{0,17}$/.test(value);

export function checkSerialId(value: unknown, field: string): void {
  if (!isSerialId(value))
    throw notFoundField(`${field}: nothing has the id ${quoteValue(String(value))} (allocation request ids are whole numbers)`, field);
}

/** An exact decimal (a Decimal scalar's parsed string) from 0 to `max`, the money form of checkDecimal. */
export function checkExactDecimal(value: unknown, field: string, rule: { max: DecimalString }): void {
  let parsed: DecimalString;
  try {
    parsed = parseDecimal(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw badInput(`${field} ${error.message}`, describe(field));
    throw error;
  }
  if (isNegative(parsed)) throw badInput(`${field} must not be negative`, describe(field));
  if (compareDecimal(parsed, rule.max) > 0) throw badInput(`${field} must be at most ${rule.max}`, describe(field));
}

export function checkDate(value: unknown, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} must be a date-time`, describe(field));
  if (value < EARLIEST_DATE || value > LATEST_DATE) {
    throw badInput(`${field} must lie between ${EARLIEST_DATE.toISOString()} and ${LATEST_DATE.toISOString()}`, describe(field));
  }
}

export function checkListLength(value: unknown, field: string, rule: ListRule): void {
  if (!Array.isArray(value)) throw badInput(`${field} must be a list`, describe(field));
  if (value.length < rule.min)
    throw badInput(rule.min === 1 ? `${field} needs at least one item` : `${field} needs at least ${rule.min} items`, describe(field));
  if (value.length > rule.max) throw badInput(`${field} may hold at most ${rule.max} items`, describe(field));
}
