import { createHash } from 'node:crypto';
import { DecimalString, parseDecimal } from '../shared/decimal';
import type { PlaceOrderCommand } from './place-order';

/**
 * The request body of a placeOrder, canonical: fields in a fixed order, left-out optionals as null, flags sorted
 * and without repeats (a set), lines in their given order (it sets the line numbers), prices as canonical decimals
 * (12.5, "12.50" and no price as 0 are the same body when they mean the same money). Call it on a validated command. The idempotency key itself is
 * left out: it is what the hash is stored against.
 */
export function canonicalOrderRequest(command: PlaceOrderCommand, unitPrices?: readonly DecimalString[]): string {
  return JSON.stringify([
    command.customerId,
    command.channel,
    command.currency,
    command.shipToRegion,
    command.fulfilmentPolicy ?? null,
    command.priority ?? null,
    [...new Set(command.flags ?? [])].sort(),
    command.maxWarehouses ?? null,
    command.lines.map((line, i) => [line.sku, line.quantity, unitPrices?.[i] ?? parseDecimal(line.unitPrice ?? 0)]),
    // Last and only when given, so orders placed before tax rates existed keep their hashes.
    ...(command.taxRate == null ? [] : [parseDecimal(command.taxRate)]),
  ]);
}

/** SHA-256 (hex) of the canonical request: stored with the order, compared when its idempotency key comes again. */
export const orderRequestHash = (command: PlaceOrderCommand): string => hashOrderRequest(command);

/** orderRequestHash with the lines' prices as validUnitPrice returned them (parsed once, not again here). */
export const hashOrderRequest = (command: PlaceOrderCommand, unitPrices?: readonly DecimalString[]): string =>
  createHash('sha256').update(canonicalOrderRequest(command, unitPrices)).digest('hex');
