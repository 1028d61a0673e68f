import type { AllocationKind } from './allocation.enums';
import type { LoadedLine, LoadedOrder } from './load-snapshot';
import type { DemandLine, InboundSupply, OrderDemand, ProductFacts, StockPosition } from './planning.types';
import type { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';

/**
 * The planner's snapshot from the rows PostgreSQL returns (as JSON), shared by the worker's loader
 * (load-snapshot.ts) and the storefront's one-statement loader (storefront/storefront-snapshot.ts), so both build
 * the same world from the same rows. A timestamp is a string when it comes through JSON, a Date when read directly.
 */

type Timestamp = string | Date;

/** sales_order, as both loaders select it. */
export interface OrderRow {
  id: string;
  number: string;
  customer_id: string;
  channel: string;
  currency: string;
  ship_to_region: string;
  fulfilment_policy: FulfilmentPolicy;
  priority: OrderPriority;
  flags: OrderFlag[] | null;
  max_warehouses: number | null;
  placed_at: Timestamp;
  status: OrderStatus;
}

/** order_line, with its price as text (exact, as the applier writes it on). */
export interface LineRow {
  id: string;
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price: string;
  shipped_quantity: number;
  cancelled_quantity: number;
  eta: Timestamp | null;
}

/** An ACTIVE allocation that is not a WAIT, with the drop-ship supplier when it is one. */
export interface FirmCoverRow {
  order_line_id: string;
  kind: AllocationKind;
  warehouse_code: string | null;
  quantity: number;
  eta: Timestamp | null;
  supplier: string | null;
}

/** stock_level with its warehouse's code; the worker's loader also reads the row id (for the guarded updates). */
export interface StockRow {
  id?: string;
  sku: string;
  code: string;
  on_hand_quantity: number;
  reserved_quantity: number;
  safety_stock: number;
}

/** An open purchase order line into a warehouse, net of promises to demand outside the snapshot. */
export interface InboundRow {
  id: string;
  number: string;
  sku: string;
  warehouse_code: string;
  expected_at: Timestamp;
  unpromised: number | string;
}

export interface ProductRow {
  sku: string;
  lead_time_days: number;
  drop_ship: boolean;
  supplier: string | null;
  reorder_point: number;
  reorder_quantity: number;
  backorder_policy: 'ALLOW' | 'DENY';
}

export const stockPositionFrom = (s: StockRow): StockPosition => ({
  sku: s.sku,
  warehouseCode: s.code,
  onHand: s.on_hand_quantity,
  available: s.on_hand_quantity - s.reserved_quantity - s.safety_stock,
});

export const inboundFrom = (r: InboundRow): InboundSupply => ({
  supplyId: r.id,
  reference: `PO-${r.number}`,
  sku: r.sku,
  warehouseCode: r.warehouse_code,
  expectedAt: new Date(r.expected_at),
  unpromisedQuantity: Number(r.unpromised),
});

export const productFactsFrom = (p: ProductRow): ProductFacts => ({
  sku: p.sku,
  leadTimeDays: p.lead_time_days,
  dropShip: p.drop_ship,
  supplier: p.supplier,
  reorderPoint: p.reorder_point,
  reorderQuantity: p.reorder_quantity,
});

export const noBackorderSkusOf = (productRows: ProductRow[]) =>
  new Set<string>(productRows.filter((p) => p.backorder_policy === 'DENY').map((p) => p.sku));

/** Open orders, their lines and the covers that stay (not WAIT) as the planner's demand, plus what the applier needs. */
export function demandFrom(orderRows: OrderRow[], lineRows: LineRow[], firmRows: FirmCoverRow[]) {
  const firmByLine = new Map<string, DemandLine['firmCovers']>();
  for (const f of firmRows) {
    const list = firmByLine.get(f.order_line_id) ?? [];
    list.push({
      kind: f.kind,
      warehouseCode: f.warehouse_code,
      supplier: f.supplier ?? null,
      quantity: f.quantity,
      eta: f.eta ? new Date(f.eta) : null,
    });
    firmByLine.set(f.order_line_id, list);
  }
  const orders = new Map<string, LoadedOrder>();
  const lines = new Map<string, LoadedLine>();
  const demandByOrder = new Map<string, OrderDemand>();
  for (const o of orderRows) {
    const order: LoadedOrder = {
      id: o.id,
      number: o.number,
      customerId: o.customer_id,
      channel: o.channel,
      currency: o.currency,
      shipToRegion: o.ship_to_region,
      fulfilmentPolicy: o.fulfilment_policy,
      priority: o.priority,
      flags: o.flags ?? [],
      maxWarehouses: o.max_warehouses,
      placedAt: new Date(o.placed_at),
      status: o.status,
    };
    orders.set(order.id, order);
    demandByOrder.set(order.id, {
      orderId: order.id,
      placedAt: order.placedAt,
      priority: order.priority,
      flags: order.flags,
      fulfilmentPolicy: order.fulfilmentPolicy,
      maxWarehouses: order.maxWarehouses,
      shipToRegion: order.shipToRegion,
      status: order.status,
      lines: [],
    });
  }
  for (const l of lineRows) {
    lines.set(l.id, { id: l.id, orderId: l.order_id, lineNo: l.line_no, sku: l.sku, unitPrice: l.unit_price });
    demandByOrder.get(l.order_id)!.lines.push({
      lineId: l.id,
      sku: l.sku,
      quantity: l.quantity,
      shippedQuantity: l.shipped_quantity,
      cancelledQuantity: l.cancelled_quantity,
      firmCovers: firmByLine.get(l.id) ?? [],
      currentEta: l.eta ? new Date(l.eta) : null,
    });
  }
  return { orders, lines, demand: [...demandByOrder.values()] };
}
