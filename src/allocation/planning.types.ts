import type { AllocationKind } from './allocation.enums';
import type { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';

/**
 * The planner's world: plain data, no ORM entities, no clock. The snapshot loader builds it from the database;
 * availability answers build it too, so a storefront is told what allocation would do.
 */
export interface PlanningSnapshot {
  now: Date;
  policy: PlanningPolicy;
  warehouses: WarehouseNode[];
  /** Units a new promise may take now, per SKU and warehouse: on hand − reserved − safety stock. */
  stock: StockPosition[];
  /** Open purchase order lines, net of what demand outside this snapshot was already promised. */
  inbound: InboundSupply[];
  products: ProductFacts[];
  /** Open demand; the planner orders it by priority and age itself. */
  demand: OrderDemand[];
  /** SKUs that already have a suggested (draft) purchase order, so no second suggestion is raised. */
  skusWithOpenSuggestion: string[];
  /** Those drafts' lines: a draft grows to cover what is owed instead of a second one being raised later. */
  openSuggestions?: OpenSuggestion[];
  /** Units of each SKU waiting for the lead time on lines outside this snapshot (their waits stay as they are). */
  unsuppliedElsewhere?: Array<{ sku: string; quantity: number }>;
}

export interface OpenSuggestion {
  sku: string;
  purchaseOrderLineId: string;
  quantity: number;
}

export interface PlanningPolicy {
  maxWarehousesPerOrder: number;
  /** A transfer beats a split shipment when it arrives at most this many days later. */
  preferTransferWithinDays: number;
  allowDropShip: boolean;
  weights: { eta: number; cost: number; parcels: number };
}

export interface WarehouseNode {
  code: string;
  active: boolean;
  shippingLanes: Array<{ region: string; days: number; cost: number }>;
  transferLanes: Array<{ toWarehouseCode: string; days: number; cost: number }>;
}

export interface StockPosition {
  sku: string;
  warehouseCode: string;
  available: number;
  onHand: number;
}

export interface InboundSupply {
  /** The purchase order line. */
  supplyId: string;
  reference: string;
  sku: string;
  warehouseCode: string;
  expectedAt: Date;
  /** Ordered and not yet received, minus promises to demand outside the snapshot. */
  unpromisedQuantity: number;
}

export interface ProductFacts {
  sku: string;
  leadTimeDays: number;
  dropShip: boolean;
  supplier: string | null;
  reorderPoint: number;
  reorderQuantity: number;
}

export interface OrderDemand {
  orderId: string;
  placedAt: Date;
  priority: OrderPriority;
  flags: OrderFlag[];
  fulfilmentPolicy: FulfilmentPolicy;
  maxWarehouses: number | null;
  shipToRegion: string;
  status: OrderStatus;
  lines: DemandLine[];
}

/** A cover that stays as it is when the line is planned again: reserved stock, a transfer, a drop-ship order. */
export interface FirmCover {
  kind: AllocationKind;
  warehouseCode: string | null;
  /** DROP_SHIP: the supplier that ships. */
  supplier: string | null;
  quantity: number;
  eta: Date | null;
}

export interface DemandLine {
  lineId: string;
  sku: string;
  quantity: number;
  shippedQuantity: number;
  cancelledQuantity: number;
  firmCovers: FirmCover[];
  /** The ETA the line shows now, to tell when it moves. */
  currentEta: Date | null;
}

/** A new allocation the applier must write. WAIT covers replace the line's previous waits entirely. */
export interface PlannedCover {
  lineId: string;
  sku: string;
  kind: AllocationKind;
  quantity: number;
  /** The warehouse that ships (PULL, TRANSFER destination, WAIT on a purchase order). */
  warehouseCode: string | null;
  /** TRANSFER: where the units are reserved and leave from. */
  sourceWarehouseCode: string | null;
  /** WAIT: the purchase order line waited for; null when waiting for the lead time. */
  supplyId: string | null;
  /** DROP_SHIP: the supplier that ships. */
  supplier: string | null;
  eta: Date;
  reason: string;
}

export interface PlannedLine {
  lineId: string;
  /** The line's quantity after a split (unchanged otherwise). */
  quantity: number;
  allocatedQuantity: number;
  backorderedQuantity: number;
  eta: Date | null;
}

export interface PlannedEvent {
  type: OrderEventType;
  message: string;
}

export interface SplitInstruction {
  /** Lines of the new order: what moves off each original line. Their WAIT covers move with them. */
  lines: Array<{ fromLineId: string; sku: string; quantity: number }>;
}

export interface OrderPlan {
  orderId: string;
  status: OrderStatus;
  holdReason: string | null;
  lines: PlannedLine[];
  covers: PlannedCover[];
  split: SplitInstruction | null;
  events: PlannedEvent[];
}

export interface ReorderSuggestion {
  sku: string;
  /** Set when an existing draft's line grows to `quantity` rather than a new draft being raised. */
  growsPurchaseOrderLineId?: string | null;
  supplier: string;
  warehouseCode: string;
  quantity: number;
  reason: string;
}

export interface AllocationPlan {
  orders: OrderPlan[];
  reorderSuggestions: ReorderSuggestion[];
}
