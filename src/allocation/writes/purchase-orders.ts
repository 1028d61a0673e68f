import { AllocationKind } from '../allocation.enums';
import { addDays } from '../../shared/dates';
import type { OrderPlan, PlannedCover, ProductFacts, ReorderSuggestion } from '../planning.types';
import type { DraftGrowthRow, NewId, PurchaseOrderLineRow, PurchaseOrderRow } from './write-rows';

export const dropShipKeyOf = (lineId: string, supplier: string | null) => `${lineId}|${supplier}`;

export interface DropShipWrites {
  orders: PurchaseOrderRow[];
  lines: PurchaseOrderLineRow[];
  /** The purchase order line each DROP_SHIP cover is on, by dropShipKeyOf(line, supplier). */
  lineOf: Map<string, string>;
}

/**
 * One OPEN purchase order per order and supplier, delivered straight to the customer (no warehouse), its lines summed
 * by SKU, expected when the latest of its covers is (never before now).
 */
export function dropShipWrites(orders: OrderPlan[], now: Date, newId: NewId): DropShipWrites {
  const writes: DropShipWrites = { orders: [], lines: [], lineOf: new Map() };
  for (const order of orders) {
    const bySupplier = new Map<string, PlannedCover[]>();
    for (const c of order.covers) if (c.kind === AllocationKind.DROP_SHIP) bySupplier.set(c.supplier!, [...(bySupplier.get(c.supplier!) ?? []), c]);
    for (const [supplier, covers] of bySupplier) {
      const purchaseOrderId = newId();
      writes.orders.push({
        id: purchaseOrderId,
        status: 'OPEN',
        supplier,
        warehouse_code: null,
        expected_at: new Date(Math.max(now.getTime(), ...covers.map((c) => c.eta.getTime()))),
        suggested: false,
        note: null,
        drop_ship_order_id: order.orderId,
        draft_sku: null,
      });
      const lineOfSku = new Map<string, PurchaseOrderLineRow>();
      for (const c of covers) {
        const line = lineOfSku.get(c.sku) ?? { id: newId(), purchase_order_id: purchaseOrderId, sku: c.sku, quantity: 0 };
        line.quantity += c.quantity;
        lineOfSku.set(c.sku, line);
        writes.lineOf.set(dropShipKeyOf(c.lineId, c.supplier), line.id);
      }
      writes.lines.push(...lineOfSku.values());
    }
  }
  return writes;
}

export interface ReorderWrites {
  drafts: PurchaseOrderRow[];
  lines: PurchaseOrderLineRow[];
  growths: DraftGrowthRow[];
}

/**
 * Reorder signals: a new suggested DRAFT expected after the product's lead time, or an existing draft's line grown
 * to what is owed now.
 */
export function reorderWrites(suggestions: ReorderSuggestion[], products: ProductFacts[], now: Date, newId: NewId): ReorderWrites {
  const writes: ReorderWrites = { drafts: [], lines: [], growths: [] };
  for (const s of suggestions) {
    if (s.growsPurchaseOrderLineId) {
      writes.growths.push({ purchase_order_line_id: s.growsPurchaseOrderLineId, quantity: s.quantity, note: s.reason });
      continue;
    }
    const id = newId();
    const leadTimeDays = products.find((p) => p.sku === s.sku)?.leadTimeDays ?? 0;
    writes.drafts.push({
      id,
      status: 'DRAFT',
      supplier: s.supplier,
      warehouse_code: s.warehouseCode,
      expected_at: addDays(now, leadTimeDays),
      suggested: true,
      note: s.reason,
      drop_ship_order_id: null,
      draft_sku: s.sku,
    });
    writes.lines.push({ id: newId(), purchase_order_id: id, sku: s.sku, quantity: s.quantity });
  }
  return writes;
}
