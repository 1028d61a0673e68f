import { cmp, compareDemand, Precedence } from './planning-world';

/** What a backordered (or transferred) quantity waits for. */
export enum BackorderSupplyKind {
  PURCHASE_ORDER = 'PURCHASE_ORDER',
  TRANSFER = 'TRANSFER',
  DROP_SHIP = 'DROP_SHIP',
  /** Nothing is on order: the supplier's lead time. */
  LEAD_TIME = 'LEAD_TIME',
}

export enum BackorderCoverage {
  FULL = 'FULL',
  PARTIAL = 'PARTIAL',
  NONE = 'NONE',
}

/** One active cover of a waiting line: an allocation of kind WAIT, DROP_SHIP or TRANSFER. */
export interface WaitingCover extends Precedence {
  coverId: string;
  lineId: string;
  kind: BackorderSupplyKind;
  /** Names one supply: a purchase order line, a transfer and SKU, or a SKU's lead time. */
  supplyKey: string;
  quantity: number;
}

export interface QueueSlot {
  /** 1 = served first among the demand waiting on the same supply. */
  queuePosition: number;
  /** Units of that supply promised to demand served before this one. */
  unitsAhead: number;
}

/**
 * Queue positions on each supply, in the planner's own precedence (`compareDemand`: priority and flags, then age,
 * then order id; the line id breaks ties within an order). Pure: the same covers give the same queue.
 */
export function queueBySupply(covers: WaitingCover[]): Map<string, QueueSlot> {
  const bySupply = new Map<string, WaitingCover[]>();
  for (const cover of covers) bySupply.set(cover.supplyKey, [...(bySupply.get(cover.supplyKey) ?? []), cover]);
  const slots = new Map<string, QueueSlot>();
  for (const waiting of bySupply.values()) {
    waiting.sort((a, b) => compareDemand(a, b) || cmp(a.lineId, b.lineId) || cmp(a.coverId, b.coverId));
    let ahead = 0;
    waiting.forEach((cover, index) => {
      slots.set(cover.coverId, { queuePosition: index + 1, unitsAhead: ahead });
      ahead += cover.quantity;
    });
  }
  return slots;
}

/** Kinds whose units count as backordered on the line (a transfer's units are already allocated). */
export const countsAsBackordered = (kind: BackorderSupplyKind) => kind !== BackorderSupplyKind.TRANSFER;

export interface LineCoverage {
  coveredQuantity: number;
  uncoveredQuantity: number;
  coverage: BackorderCoverage;
}

/** How much of a line's backordered quantity a real supply (purchase order, drop-ship order) covers. */
export function coverageOf(backorderedQuantity: number, covers: Array<{ kind: BackorderSupplyKind; quantity: number }>): LineCoverage {
  const onOrder = covers
    .filter((c) => c.kind === BackorderSupplyKind.PURCHASE_ORDER || c.kind === BackorderSupplyKind.DROP_SHIP)
    .reduce((sum, c) => sum + c.quantity, 0);
  const coveredQuantity = Math.min(Math.max(0, backorderedQuantity), onOrder);
  const uncoveredQuantity = Math.max(0, backorderedQuantity) - coveredQuantity;
  const coverage = uncoveredQuantity === 0 ? BackorderCoverage.FULL : coveredQuantity === 0 ? BackorderCoverage.NONE : BackorderCoverage.PARTIAL;
  return { coveredQuantity, uncoveredQuantity, coverage };
}

export interface DescribedCover {
  kind: BackorderSupplyKind;
  quantity: number;
  /** PO-7, TR-3; null for the lead time. */
  reference: string | null;
  /** When the supply itself is expected (the purchase order or transfer), else the line's ETA. */
  expectedAt: Date | null;
  warehouseCode: string | null;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'unknown');

/** One cover in words: "12 covered by PO-7 (expected 2026-12-12 at EAST)". */
export function describeCover(cover: DescribedCover): string {
  const at = cover.warehouseCode ? ` at ${cover.warehouseCode}` : '';
  switch (cover.kind) {
    case BackorderSupplyKind.PURCHASE_ORDER:
      return `${cover.quantity} covered by ${cover.reference ?? 'a purchase order'} (expected ${day(cover.expectedAt)}${at})`;
    case BackorderSupplyKind.DROP_SHIP:
      return `${cover.quantity} drop-shipped on ${cover.reference ?? 'a purchase order'} (expected ${day(cover.expectedAt)})`;
    case BackorderSupplyKind.TRANSFER:
      return `${cover.quantity} on ${cover.reference ?? 'a transfer'} to ${cover.warehouseCode ?? 'the shipping warehouse'} (expected ${day(cover.expectedAt)})`;
    case BackorderSupplyKind.LEAD_TIME:
      return `${cover.quantity} uncovered (supplier lead time, expected ${day(cover.expectedAt)})`;
  }
}

/** A backorder in words: "needs 30: 12 covered by PO-7 (expected 2026-12-12 at EAST), 18 uncovered (supplier lead time, …)". */
export function describeBackorder(needs: number, covers: DescribedCover[]): string {
  const parts = covers.map(describeCover);
  const described = covers.filter((c) => countsAsBackordered(c.kind)).reduce((sum, c) => sum + c.quantity, 0);
  if (described < needs) parts.push(`${needs - described} uncovered (nothing on order)`);
  return `needs ${needs}: ${parts.join(', ')}`;
}
