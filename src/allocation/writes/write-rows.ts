import type { NewOrderEvent } from '../../orders/order-events';
import type { OrderStatus } from '../../orders/order.enums';
import type { NewAllocationRow } from '../../reservations/allocation-records';

/*
 * The rows one allocation plan writes, shaped as the applier's statements take them (column names, one array per
 * statement). Dates stay Dates: JSON.stringify sends them as ISO strings.
 */

/** A SPLIT_ORDER's new order: every other column is copied from the order it splits from. */
export interface SplitOrderRow {
  id: string;
  split_from_id: string;
}

export interface SplitOrderLineRow {
  id: string;
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  /** A decimal string, as PostgreSQL returns numeric. */
  unit_price: string;
  eta: Date | null;
}

export interface TransferRow {
  id: string;
  from: string;
  to: string;
  expected_at: Date;
}

export interface TransferLineRow {
  id: string;
  transfer_id: string;
  sku: string;
  quantity: number;
}

/** A drop-ship order (OPEN, to the customer) or a reorder suggestion (a DRAFT to a warehouse). */
export interface PurchaseOrderRow {
  id: string;
  status: 'OPEN' | 'DRAFT';
  supplier: string;
  warehouse_code: string | null;
  expected_at: Date;
  suggested: boolean;
  note: string | null;
  drop_ship_order_id: string | null;
  /**
   * A suggestion's SKU: the draft is not written when a suggested draft of that SKU exists already. The snapshot
   * knew of none, so this only guards against one raised since it was read.
   */
  draft_sku: string | null;
}

/** Written only if its purchase order was. */
export interface PurchaseOrderLineRow {
  id: string;
  purchase_order_id: string;
  sku: string;
  quantity: number;
}

/** An existing suggested draft's line grown to `quantity` (never shrunk), its note saying why. */
export interface DraftGrowthRow {
  purchase_order_line_id: string;
  quantity: number;
  note: string;
}

/** A new shipment, written PENDING: readiness is settled once order statuses and transfers are written. */
export interface ShipmentRow {
  id: string;
  order_id: string;
  warehouse_code: string;
}

export interface ShipmentLineRow {
  id: string;
  shipment_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
}

/** An allocation row as reservations/ records it, its ETA still a Date. */
export type AllocationRow = Omit<NewAllocationRow, 'eta'> & { eta: Date };

export interface OrderLineUpdateRow {
  id: string;
  quantity: number;
  allocated: number;
  backordered: number;
  eta: Date | null;
}

export interface OrderStatusRow {
  id: string;
  status: OrderStatus;
  hold_reason: string | null;
  /** The plan changed the order (so its version goes up even if status and hold reason stay). */
  changed: boolean;
}

/**
 * A timeline event. `namesSplitOrderId` marks the SPLIT event of an order that was split: its message ends with the
 * new order's number, which only the database assigns (see nameSplitOrders).
 */
export interface OrderEventRow extends NewOrderEvent {
  namesSplitOrderId?: string;
}

export interface TouchedStock {
  sku: string;
  warehouseCode: string;
}

export interface AllocationWrites {
  splitOrders: SplitOrderRow[];
  splitOrderLines: SplitOrderLineRow[];
  transfers: TransferRow[];
  transferLines: TransferLineRow[];
  purchaseOrders: PurchaseOrderRow[];
  purchaseOrderLines: PurchaseOrderLineRow[];
  draftGrowths: DraftGrowthRow[];
  shipments: ShipmentRow[];
  shipmentLines: ShipmentLineRow[];
  allocations: AllocationRow[];
  orderLines: OrderLineUpdateRow[];
  orderStatuses: OrderStatusRow[];
  /** In the order they go on the timelines: the planner's events, then the split orders', then new shipments'. */
  events: OrderEventRow[];
  /** Stock rows whose reservations change (PULL at its warehouse, TRANSFER at its source), each once. */
  touchedStock: TouchedStock[];
}

/** A shipment of an order still PENDING when the plan is applied: new reservations of its warehouse join it. */
export interface PendingShipment {
  id: string;
  orderId: string;
  warehouseCode: string;
  createdAt: Date;
}

export type NewId = () => string;
