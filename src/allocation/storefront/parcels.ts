import { AllocationKind } from '../allocation.enums';
import type { OrderPlan, PlannedCover, PlanningSnapshot } from '../planning.types';
import { isoDay } from '../../shared/dates';

/**
 * What a storefront shows: units that travel together, from one place, on one date, covered one way. Built from
 * the planner's covers alone, so a shop needs no arithmetic of its own.
 */
export interface Parcel {
  kind: AllocationKind;
  /** The warehouse that ships it (PULL, TRANSFER destination, WAIT on a purchase order); null for a supplier. */
  warehouseCode: string | null;
  /** TRANSFER: where the units leave from. */
  sourceWarehouseCode: string | null;
  /** DROP_SHIP: the supplier that ships; WAIT on the lead time: the supplier restocking it, when known. */
  supplier: string | null;
  /** WAIT on a purchase order: its number (PO-12). */
  purchaseOrderNumber: string | null;
  /** When the units reach the customer; with SHIP_COMPLETE, the one date of the whole order. */
  eta: Date;
  /** Reserved from stock and shipped as soon as it is picked (not held for the rest of the order). */
  shipsNow: boolean;
  quantity: number;
  lines: Array<{ sku: string; quantity: number }>;
  reason: string;
  /** SPLIT_ORDER: these units move to the new order. */
  inSplitOrder: boolean;
}

const KIND_RANK: Record<AllocationKind, number> = { PULL: 0, TRANSFER: 1, WAIT: 2, DROP_SHIP: 3 };

/** Groups a plan's covers into parcels, soonest first. `shipComplete`: every parcel arrives with the last one. */
export function parcelsOf(plan: OrderPlan, snapshot: Pick<PlanningSnapshot, 'inbound' | 'products'>, shipComplete: boolean): Parcel[] {
  const reference = new Map(snapshot.inbound.map((s) => [s.supplyId, s.reference]));
  const supplierOf = new Map(snapshot.products.map((p) => [p.sku, p.supplier]));
  const completeEta = shipComplete ? latest(plan.lines.map((l) => l.eta)) : null;
  const groups = new Map<string, { parcel: Parcel; covers: PlannedCover[] }>();
  for (const cover of plan.covers) {
    const eta = completeEta ?? cover.eta;
    const inSplitOrder = plan.split !== null && cover.kind === AllocationKind.WAIT;
    const supplier = cover.supplier ?? (cover.kind === AllocationKind.WAIT && !cover.supplyId ? (supplierOf.get(cover.sku) ?? null) : null);
    const key = [cover.kind, cover.warehouseCode, cover.sourceWarehouseCode, supplier, cover.supplyId, isoDay(eta), inSplitOrder].join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = {
        parcel: {
          kind: cover.kind,
          warehouseCode: cover.warehouseCode,
          sourceWarehouseCode: cover.sourceWarehouseCode,
          supplier,
          purchaseOrderNumber: cover.supplyId ? (reference.get(cover.supplyId) ?? null) : null,
          eta,
          shipsNow: cover.kind === AllocationKind.PULL && !shipComplete,
          quantity: 0,
          lines: [],
          reason: '',
          inSplitOrder,
        },
        covers: [],
      };
      groups.set(key, group);
    }
    if (eta > group.parcel.eta) group.parcel.eta = eta;
    group.covers.push(cover);
  }
  const parcels = [...groups.values()].map(({ parcel, covers }) => {
    parcel.lines = sumBySku(covers);
    parcel.quantity = covers.reduce((s, c) => s + c.quantity, 0);
    parcel.reason = parcel.lines.length === 1 ? covers.map((c) => c.reason).join('; ') : covers.map((c) => `${c.sku}: ${c.reason}`).join('; ');
    return parcel;
  });
  return parcels.sort(
    (a, b) =>
      a.eta.getTime() - b.eta.getTime() ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      (a.warehouseCode ?? a.supplier ?? '').localeCompare(b.warehouseCode ?? b.supplier ?? ''),
  );
}

export function sumBySku(items: Array<{ sku: string; quantity: number }>): Array<{ sku: string; quantity: number }> {
  const bySku = new Map<string, number>();
  for (const item of items) bySku.set(item.sku, (bySku.get(item.sku) ?? 0) + item.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

export function latest(dates: Array<Date | null>): Date | null {
  const times = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}
