import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { Queryable, runStatement } from '../db/pg-pool';
import { badInput, conflict } from '../shared/errors';
import { formatOrderNumber } from '../shared/document-numbers';
import { FulfilmentPolicy, OrderFlag, OrderPriority } from './order.enums';
import {
  ORDERS_BY_KEY,
  PLACE_ORDERS,
  PlacementRow,
  placeOrdersValues,
  PreparedPlacement,
  SalesOrderRow,
  salesOrderRowOf,
} from './place-orders-statement';
import { hashOrderRequest } from './order-request-hash';
import type { DecimalString } from '../shared/decimal';
import { validTaxRate } from '../invoicing/invoice-money';
import { PriceInput, validUnitPrice } from './unit-price';

export interface PlaceOrderCommand {
  idempotencyKey: string;
  customerId: string;
  channel: string;
  currency: string;
  shipToRegion: string;
  fulfilmentPolicy?: FulfilmentPolicy | null;
  priority?: OrderPriority | null;
  flags?: OrderFlag[] | null;
  maxWarehouses?: number | null;
  /** Percent tax on this order's invoices, over its products' rates. */
  taxRate?: PriceInput | null;
  lines: Array<{ sku: string; quantity: number; unitPrice?: PriceInput | null }>;
}

export interface PlacedOrder {
  orderId: string;
  /** False when the idempotency key named an order placed before: nothing new was written. */
  created: boolean;
  /** The row as written, when `created`: the caller need not read it back. */
  row?: SalesOrderRow;
}

const MAX_LINES = 500;
const MAX_QUANTITY = 1_000_000;

/** Checks a command's shape before any I/O; throws BAD_USER_INPUT naming the first problem. Returns its lines' prices. */
export function validatePlaceOrder(command: PlaceOrderCommand): DecimalString[] {
  const text = (value: string | undefined, field: string, max = 200) => {
    if (typeof value !== 'string' || value.trim() === '') throw badInput(`${field} is required`, { field });
    if (value.length > max) throw badInput(`${field} is longer than ${max} characters`, { field });
  };
  text(command.idempotencyKey, 'idempotencyKey');
  text(command.customerId, 'customerId');
  text(command.channel, 'channel', 50);
  text(command.shipToRegion, 'shipToRegion', 50);
  if (!/^[A-Z]{3}$/.test(command.currency ?? '')) throw badInput('currency must be a three-letter ISO 4217 code such as EUR', { field: 'currency' });
  if (command.maxWarehouses != null && (!Number.isInteger(command.maxWarehouses) || command.maxWarehouses < 1)) {
    throw badInput('maxWarehouses must be a whole number of at least 1', { field: 'maxWarehouses' });
  }
  if (command.taxRate != null) validTaxRate(command.taxRate, 'taxRate');
  if (!Array.isArray(command.lines) || command.lines.length === 0) throw badInput('An order needs at least one line', { field: 'lines' });
  if (command.lines.length > MAX_LINES) throw badInput(`An order may have at most ${MAX_LINES} lines`, { field: 'lines' });
  return command.lines.map((line, i) => {
    text(line.sku, `lines[${i}].sku`, 100);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw badInput(`lines[${i}].quantity must be a whole number from 1 to ${MAX_QUANTITY}`, { field: `lines[${i}].quantity` });
    }
    return validUnitPrice(line.unitPrice, command.currency, `lines[${i}].unitPrice`);
  });
}

/** Validates a command and computes, before any I/O, what placing it writes beside the command itself. */
export function preparePlacement(command: PlaceOrderCommand): PreparedPlacement {
  const unitPrices = validatePlaceOrder(command);
  const units = command.lines.reduce((s, l) => s + l.quantity, 0);
  return {
    command,
    orderId: randomUUID(),
    requestHash: hashOrderRequest(command, unitPrices),
    taxRate: command.taxRate == null ? null : validTaxRate(command.taxRate, 'taxRate'),
    message: `Placed via ${command.channel}: ${command.lines.length} line${command.lines.length === 1 ? '' : 's'}, ${units} unit${units === 1 ? '' : 's'}`,
    unitPrices,
  };
}

/** What came of one order of a group: its order, or the error that is its own. */
export type PlacementResult = { ok: true; placed: PlacedOrder } | { ok: false; error: unknown };

/**
 * Writes a group of orders in one statement (PLACE_ORDERS) and answers each. Throws only when the statement itself
 * fails, and then nothing of the group was written.
 */
export async function writePlacements(
  db: Queryable,
  group: readonly PreparedPlacement[],
  defaultPolicy: FulfilmentPolicy,
): Promise<PlacementResult[]> {
  const rows = await runStatement<PlacementRow>(db, PLACE_ORDERS, placeOrdersValues(group, defaultPolicy));
  const results: PlacementResult[] = [];
  const toRead: number[] = [];
  group.forEach((prepared, ord) => {
    const row = rows[ord];
    try {
      if (row?.ord !== ord) throw new Error(`The placement statement gave no answer for order ${ord} of its group`);
      const placed = placementOutcome(prepared, row);
      if (placed) results[ord] = { ok: true, placed };
      else toRead.push(ord);
    } catch (error) {
      results[ord] = { ok: false, error };
    }
  });
  if (toRead.length > 0) {
    // Keys a concurrent transaction (another API process) committed first: answered from that order.
    const earlier = await runStatement<PreviousOrderRow & { idempotency_key: string }>(db, ORDERS_BY_KEY, [
      toRead.map((ord) => group[ord].command.idempotencyKey),
    ]);
    const byKey = new Map(earlier.map((row) => [row.idempotency_key, row]));
    for (const ord of toRead) {
      const { command, requestHash } = group[ord];
      try {
        const row = byKey.get(command.idempotencyKey);
        if (!row) throw new Error('An order with this idempotency key was written concurrently and is gone');
        results[ord] = { ok: true, placed: previousOrder(command, requestHash, row) };
      } catch (error) {
        results[ord] = { ok: false, error };
      }
    }
  }
  return results;
}

/** One order on its own, on the em's connection: for scripts and tests that place without the API's groups. */
export async function placeOrder(em: EntityManager, command: PlaceOrderCommand, defaultPolicy: FulfilmentPolicy): Promise<PlacedOrder> {
  const prepared = preparePlacement(command);
  // Inside the caller's transaction (an exchange places its replacement order atomically with the exchange), knex's
  // transaction client hands out that transaction's connection and its release is a no-op; outside, a pooled one.
  const knexClient = (em.getTransactionContext() ?? em.getKnex()).client;
  const connection: PoolClient = await knexClient.acquireConnection();
  try {
    const [result] = await writePlacements(connection, [prepared], defaultPolicy);
    if (!result.ok) throw result.error;
    return result.placed;
  } finally {
    await knexClient.releaseConnection(connection);
  }
}

/**
 * What one order's row of the group statement means for its caller: the order placed, the earlier order its key
 * names, a refusal (thrown), or `null` when a concurrent transaction wrote its key first and the order must be read.
 */
export function placementOutcome(prepared: PreparedPlacement, row: PlacementRow): PlacedOrder | null {
  const { command, requestHash } = prepared;
  if (row.placed_id) return { orderId: row.placed_id, created: true, row: salesOrderRowOf(row) };
  if (row.previous_id) {
    return previousOrder(command, requestHash, {
      id: row.previous_id,
      customer_id: row.previous_customer_id!,
      request_hash: row.previous_hash,
      number: row.previous_number!,
    });
  }
  if (row.unknown_skus?.length) throw badInput(`Unknown SKU: ${row.unknown_skus.join(', ')}`, { field: 'lines', skus: row.unknown_skus });
  if (!row.served) throw badInput(`No warehouse ships to ${command.shipToRegion}`, { field: 'shipToRegion', region: command.shipToRegion });
  const refused = row.denied?.[0];
  if (refused) {
    throw conflict(`Only ${refused.available} of ${refused.sku} available and it may not be backordered`, {
      sku: refused.sku,
      available: refused.available,
    });
  }
  return null;
}

export interface PreviousOrderRow {
  id: string;
  customer_id: string;
  /** Null for orders placed before request hashes were stored: those keys still return their order. */
  request_hash: string | null;
  number: string;
}

/** A retry returns the first order; the same key with another body is a CONFLICT that names the key. */
export function previousOrder(command: PlaceOrderCommand, requestHash: string, previous: PreviousOrderRow): PlacedOrder {
  if (previous.customer_id !== command.customerId) {
    throw conflict('This idempotencyKey was already used for another customer’s order', { field: 'idempotencyKey' });
  }
  if (previous.request_hash !== null && previous.request_hash !== requestHash) {
    throw conflict(
      `idempotencyKey ${JSON.stringify(command.idempotencyKey)} was already used for order ${formatOrderNumber(previous.number)} ` +
        'with a different request body: send the same body to retry, or use a new key for a new order',
      { field: 'idempotencyKey', idempotencyKey: command.idempotencyKey, orderId: previous.id },
    );
  }
  return { orderId: previous.id, created: false };
}
