import { AllocationKind } from '../allocation.enums';
import { addDays } from '../../shared/dates';
import type { PlannedCover, WarehouseNode } from '../planning.types';
import type { NewId, TransferLineRow, TransferRow } from './write-rows';

export const laneKeyOf = (from: string, to: string) => `${from}>${to}`;

export interface TransferWrites {
  transfers: TransferRow[];
  lines: TransferLineRow[];
  /** Transfer id by lane (laneKeyOf(source, destination)). */
  transferOf: Map<string, string>;
}

/**
 * One PLANNED transfer per pair of warehouses per run, expected after the lane's days, its lines summed by SKU over
 * every order's TRANSFER covers.
 */
export function transferWrites(covers: PlannedCover[], warehouses: WarehouseNode[], now: Date, newId: NewId): TransferWrites {
  const byLane = new Map<string, { from: string; to: string; skus: Map<string, number> }>();
  for (const c of covers) {
    if (c.kind !== AllocationKind.TRANSFER) continue;
    const from = c.sourceWarehouseCode!;
    const to = c.warehouseCode!;
    const laneKey = laneKeyOf(from, to);
    const lane = byLane.get(laneKey) ?? { from, to, skus: new Map<string, number>() };
    lane.skus.set(c.sku, (lane.skus.get(c.sku) ?? 0) + c.quantity);
    byLane.set(laneKey, lane);
  }
  const laneDays = new Map<string, number>();
  for (const w of warehouses) for (const l of w.transferLanes) laneDays.set(laneKeyOf(w.code, l.toWarehouseCode), l.days);
  const writes: TransferWrites = { transfers: [], lines: [], transferOf: new Map() };
  for (const [laneKey, lane] of byLane) {
    const id = newId();
    writes.transferOf.set(laneKey, id);
    writes.transfers.push({ id, from: lane.from, to: lane.to, expected_at: addDays(now, laneDays.get(laneKey) ?? 0) });
  }
  for (const [laneKey, lane] of byLane) {
    for (const [sku, quantity] of lane.skus) writes.lines.push({ id: newId(), transfer_id: writes.transferOf.get(laneKey)!, sku, quantity });
  }
  return writes;
}
