import {
  checkDate,
  checkDecimal,
  checkExactDecimal,
  checkSerialId,
  checkInteger,
  checkListLength,
  checkText,
  checkUuid,
  MAX_DAYS,
  MAX_LINE_QUANTITY,
  MAX_ON_HAND,
} from '../../shared/input-checks';
import { MAX_TAX_RATE } from '../../invoicing/invoice-money';
import { MAX_UNIT_PRICE } from '../../orders/unit-price';
import { cursorOffset } from '../../shared/pagination';

/** Checks one value at `field` (its path, such as `input.lines[0].sku`); throws a DomainError naming it. */
export type ValueCheck = (value: unknown, field: string) => void;

const text =
  (max: number, multiline = false): ValueCheck =>
  (value, field) =>
    checkText(value, field, { max, multiline });
const integer =
  (min: number, max: number): ValueCheck =>
  (value, field) =>
    checkInteger(value, field, { min, max });
const decimal =
  (min: number, max: number): ValueCheck =>
  (value, field) =>
    checkDecimal(value, field, { min, max });
const list =
  (min: number, max: number): ValueCheck =>
  (value, field) =>
    checkListLength(value, field, { min, max });

const cursor: ValueCheck = (value, field) => {
  checkText(value, field, { max: 200 });
  cursorOffset(value as string, field);
};

/**
 * What a value of each scalar type must look like when no rule names its field. Every ID is a record id (a UUID)
 * unless `FIELD_RULES` says otherwise; numbers are never negative unless a rule allows it.
 */
export const SCALAR_DEFAULTS: Readonly<Record<string, ValueCheck>> = {
  String: text(200),
  ID: (value, field) => checkUuid(value, field),
  Int: integer(0, MAX_LINE_QUANTITY),
  Float: decimal(0, 1_000_000_000),
  Decimal: (value, field) => checkExactDecimal(value, field, { max: MAX_UNIT_PRICE }),
  DateTime: (value, field) => checkDate(value, field),
  Boolean: () => undefined,
};

/** Lists: at most 100 items, empty allowed, unless a rule names the field. */
export const DEFAULT_LIST_RULE: ValueCheck = list(0, 100);

/**
 * Rules by argument or input field name (the same name means the same thing in every type), for scalars and lists.
 * A name used with another meaning somewhere would need a `Type.field` entry; there is none so far.
 */
export const FIELD_RULES: Readonly<Record<string, { scalar?: ValueCheck; list?: ValueCheck }>> = {
  // Ids that are not ours: the shop's customer reference is free text.
  customerId: { scalar: text(200) },
  idempotencyKey: { scalar: text(200) },
  reason: { scalar: text(500, true) },
  sku: { scalar: text(100) },
  // Webhook endpoint URLs: longer than names; their shape is the webhook service's to check.
  url: { scalar: text(2000) },
  description: { scalar: text(500) },
  eventTypes: { list: list(0, 100), scalar: text(100) },
  // Allocation requests are numbered by the database (bigint), not UUIDs.
  allocationRequestId: { scalar: (value, field) => checkSerialId(value, field) },
  safetyStock: { scalar: integer(0, MAX_ON_HAND) },
  after: { scalar: cursor },
  first: { scalar: integer(0, 10_000) },
  lines: { list: list(1, 500) },
  quantity: { scalar: integer(1, MAX_LINE_QUANTITY) },
  delta: { scalar: integer(-MAX_ON_HAND, MAX_ON_HAND) },
  days: { scalar: integer(0, MAX_DAYS) },
  leadTimeDays: { scalar: integer(0, MAX_DAYS) },
  minAgeDays: { scalar: integer(0, MAX_DAYS) },
  preferTransferWithinDays: { scalar: integer(0, MAX_DAYS) },
  maxWarehouses: { scalar: integer(1, 100) },
  maxWarehousesPerOrder: { scalar: integer(1, 100) },
  reorderPoint: { scalar: integer(0, MAX_LINE_QUANTITY) },
  reorderQuantity: { scalar: integer(0, MAX_LINE_QUANTITY) },
  cost: { scalar: decimal(0, 1_000_000) },
  eta: { scalar: decimal(0, 1_000_000) },
  parcels: { scalar: decimal(0, 1_000_000) },
  taxRate: { scalar: (value, field) => checkExactDecimal(value, field, { max: MAX_TAX_RATE }) },
  shipmentIds: { list: list(1, 100) },
};
