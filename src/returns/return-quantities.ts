import { badInput } from '../shared/errors';
import { MAX_LINE_QUANTITY } from '../shared/input-checks';
import { ReturnCondition } from './return.enums';

/** Pure quantity rules of returns: what may be authorised, received, exchanged and refunded. */

export interface SkuQuantity {
  sku: string;
  quantity: number;
}

export interface ReturnLineState {
  sku: string;
  /** Authorised. */
  quantity: number;
  receivedSellable: number;
  receivedDamaged: number;
  exchanged: number;
  refunded: number;
}

export interface ReceiptLineInput extends SkuQuantity {
  condition: ReturnCondition;
  warehouseCode: string;
}

/** "2 × MUG, 1 × PLATE", for timelines and messages. */
export const describeUnits = (lines: SkuQuantity[]): string => lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');

/** A reason given by a person: 1 to 500 characters once trimmed. */
export function validReason(reason: string): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '' || text.length > 500) throw badInput('reason must be between 1 and 500 characters', { field: 'reason' });
  return text;
}

/** Checks the shape of request lines (SKU given, whole quantity in range). */
export function checkLines(lines: SkuQuantity[], field = 'lines'): void {
  if (!Array.isArray(lines) || lines.length === 0) throw badInput(`${field} needs at least one line`, { field });
  lines.forEach((l, i) => {
    if (typeof l.sku !== 'string' || l.sku.trim() === '') throw badInput(`${field}[${i}].sku is required`, { field: `${field}[${i}].sku` });
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY) {
      throw badInput(`${field}[${i}].quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`, { field: `${field}[${i}].quantity` });
    }
  });
}

/** Sums lines per SKU, in the order SKUs first appear. */
export function sumBySku(lines: SkuQuantity[]): SkuQuantity[] {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.sku, (sums.get(l.sku) ?? 0) + l.quantity);
  return [...sums].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * The lines of a new return authorisation, one per SKU: each at most what shipped less what earlier returns of the
 * order already authorised. Refuses anything more (BAD_USER_INPUT naming the SKU and what is left).
 */
export function authorisableLines(shipped: Map<string, number>, authorised: Map<string, number>, requested: SkuQuantity[]): SkuQuantity[] {
  checkLines(requested);
  return sumBySku(requested).map(({ sku, quantity }) => {
    const left = (shipped.get(sku) ?? 0) - (authorised.get(sku) ?? 0);
    if (quantity > left) {
      throw badInput(
        `${quantity} × ${sku} cannot be returned: ${shipped.get(sku) ?? 0} shipped, ${authorised.get(sku) ?? 0} already authorised for return, so at most ${Math.max(0, left)}`,
        { field: 'lines', sku, shipped: shipped.get(sku) ?? 0, authorised: authorised.get(sku) ?? 0, returnable: Math.max(0, left) },
      );
    }
    return { sku, quantity };
  });
}

export interface ReceivedIncrement {
  sku: string;
  sellable: number;
  damaged: number;
}

/** What a receipt adds to each return line; refuses a SKU the return does not name, and more than is still expected. */
export function allotReturnReceipt(lines: ReturnLineState[], receipt: ReceiptLineInput[], reference: string): ReceivedIncrement[] {
  checkLines(receipt);
  const increments = new Map<string, ReceivedIncrement>();
  receipt.forEach((item, i) => {
    if (!Object.values(ReturnCondition).includes(item.condition))
      throw badInput(`lines[${i}].condition must be SELLABLE or DAMAGED`, { field: `lines[${i}].condition` });
    if (!lines.some((l) => l.sku === item.sku))
      throw badInput(`${reference} has no line for ${item.sku}`, { field: `lines[${i}].sku`, sku: item.sku });
    const inc = increments.get(item.sku) ?? { sku: item.sku, sellable: 0, damaged: 0 };
    if (item.condition === ReturnCondition.SELLABLE) inc.sellable += item.quantity;
    else inc.damaged += item.quantity;
    increments.set(item.sku, inc);
  });
  for (const inc of increments.values()) {
    const line = lines.find((l) => l.sku === inc.sku)!;
    const expected = line.quantity - line.receivedSellable - line.receivedDamaged;
    if (inc.sellable + inc.damaged > expected) {
      throw badInput(`${reference} expects ${expected} more of ${inc.sku} at most; ${inc.sellable + inc.damaged} were reported`, {
        field: 'lines',
        sku: inc.sku,
        expected,
      });
    }
  }
  return [...increments.values()];
}

/** Units that may still be replaced: neither replaced nor refunded yet. */
export const exchangeableQuantity = (line: ReturnLineState): number => line.quantity - line.exchanged - line.refunded;

/** Units that may still be credited: received, not replaced, not credited yet. */
export const refundableQuantity = (line: ReturnLineState): number =>
  Math.max(0, Math.min(line.receivedSellable + line.receivedDamaged, line.quantity - line.exchanged) - line.refunded);

/** The replacement's lines: what was asked (each at most what is exchangeable), or everything exchangeable. */
export function exchangeLines(lines: ReturnLineState[], requested: SkuQuantity[] | null | undefined, reference: string): SkuQuantity[] {
  if (requested == null) {
    const all = lines.map((l) => ({ sku: l.sku, quantity: exchangeableQuantity(l) })).filter((l) => l.quantity > 0);
    if (all.length === 0) throw badInput(`Every unit of ${reference} was already replaced or refunded`, { field: 'lines' });
    return all;
  }
  return limitedLines(lines, requested, exchangeableQuantity, 'replaced', reference);
}

/** The units a credit note may refund: each at most what is refundable. */
export function refundLines(lines: ReturnLineState[], requested: SkuQuantity[], reference: string): SkuQuantity[] {
  return limitedLines(lines, requested, refundableQuantity, 'refunded', reference);
}

function limitedLines(
  lines: ReturnLineState[],
  requested: SkuQuantity[],
  limit: (line: ReturnLineState) => number,
  verb: string,
  reference: string,
): SkuQuantity[] {
  checkLines(requested);
  return sumBySku(requested).map(({ sku, quantity }) => {
    const line = lines.find((l) => l.sku === sku);
    if (!line) throw badInput(`${reference} has no line for ${sku}`, { field: 'lines', sku });
    const left = limit(line);
    if (quantity > left)
      throw badInput(`${reference}: at most ${left} × ${sku} can still be ${verb}, not ${quantity}`, { field: 'lines', sku, left });
    return { sku, quantity };
  });
}
