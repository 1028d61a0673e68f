import type { PlanningSnapshot, ReorderSuggestion, WarehouseNode } from '../planning.types';
import { cmp, SupplyLedger } from './planning-world';

/**
 * Reorder signals, once per product: when what is left to promise falls below the reorder point, or demand
 * waits with no purchase order to wait for. A product that already has a draft gets no second one: the draft grows
 * to the reorder quantity plus every unit owed with no purchase order (here and outside the snapshot), never shrinks.
 */
export function suggestReorders(snapshot: PlanningSnapshot, ledger: SupplyLedger, unsupplied: Map<string, number>): ReorderSuggestion[] {
  const suggested = new Set(snapshot.skusWithOpenSuggestion);
  const drafts = new Map((snapshot.openSuggestions ?? []).map((d) => [d.sku, d]));
  const elsewhere = new Map((snapshot.unsuppliedElsewhere ?? []).map((u) => [u.sku, u.quantity]));
  const suggestions: ReorderSuggestion[] = [];
  for (const product of [...snapshot.products].sort((a, b) => cmp(a.sku, b.sku))) {
    const waiting = (unsupplied.get(product.sku) ?? 0) + (elsewhere.get(product.sku) ?? 0);
    const draft = drafts.get(product.sku);
    if (draft) {
      const target = product.reorderQuantity + waiting;
      if (waiting > 0 && target > draft.quantity) {
        suggestions.push({
          sku: product.sku,
          growsPurchaseOrderLineId: draft.purchaseOrderLineId,
          supplier: product.supplier ?? 'UNASSIGNED',
          warehouseCode: '',
          quantity: target,
          reason: `Grown from ${draft.quantity} to ${target} (reorder quantity ${product.reorderQuantity} + ${waiting} backordered with no purchase order open)`,
        });
      }
      continue;
    }
    if (suggested.has(product.sku)) continue;
    const position = ledger.totalAvailable(product.sku) + ledger.inbound(product.sku).reduce((s, i) => s + i.left, 0);
    const belowReorderPoint = product.reorderPoint > 0 && position < product.reorderPoint;
    if (!belowReorderPoint && waiting === 0) continue;
    const quantity = product.reorderQuantity + waiting || Math.max(0, product.reorderPoint - position);
    if (quantity <= 0) continue;
    const warehouseCode = receivingWarehouse(snapshot, product.sku);
    if (!warehouseCode) continue;
    const why = [
      belowReorderPoint ? `${position} available or on order is below the reorder point of ${product.reorderPoint}` : null,
      waiting > 0 ? `${waiting} backordered with no purchase order open` : null,
    ].filter(Boolean);
    suggestions.push({
      sku: product.sku,
      supplier: product.supplier ?? 'UNASSIGNED',
      warehouseCode,
      quantity,
      reason: `Suggested ${quantity} (reorder quantity ${product.reorderQuantity} + ${waiting} backordered): ${why.join('; ')}`,
    });
  }
  return suggestions;
}

/**
 * Restock where the product is kept most; a product kept nowhere yet goes to the best-connected active warehouse
 * (fewest shipping days on average over its lanes).
 */
function receivingWarehouse(snapshot: PlanningSnapshot, sku: string): string | null {
  const active = snapshot.warehouses.filter((w) => w.active);
  const activeCodes = new Set(active.map((w) => w.code));
  const kept = snapshot.stock
    .filter((s) => s.sku === sku && s.onHand > 0 && activeCodes.has(s.warehouseCode))
    .sort((a, b) => b.onHand - a.onHand || cmp(a.warehouseCode, b.warehouseCode));
  if (kept[0]) return kept[0].warehouseCode;
  const averageDays = (w: WarehouseNode) =>
    w.shippingLanes.length > 0 ? w.shippingLanes.reduce((s, l) => s + l.days, 0) / w.shippingLanes.length : Number.MAX_SAFE_INTEGER;
  return [...active].sort((a, b) => averageDays(a) - averageDays(b) || cmp(a.code, b.code))[0]?.code ?? null;
}
