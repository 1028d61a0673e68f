import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { PriceInput } from '../../../orders/unit-price';
import { connectionType, DateTimeScalar } from './common';
import { DecimalScalar } from './decimal';
import type { BackorderFilter as BackorderFilterArgs } from '../../../orders/backorder-list';
import {
  AllocationKind,
  AllocationStatus,
  BackorderCoverage,
  BackorderSupplyKind,
  FulfilmentPolicy,
  OrderEventType,
  OrderFlag,
  OrderPriority,
  OrderStatus,
} from './enums';
import { PurchaseOrderGql } from './purchase-order';
import { TransferGql } from './transfer';
import { ShipmentGql } from './shipment';
import type { OrderFilter as OrderFilterArgs } from '../../../orders/order.service';
import type { PlaceOrderCommand } from '../../../orders/place-order';

type PlaceOrderCommandLine = PlaceOrderCommand['lines'][number];

@ObjectType('Allocation', { description: 'How some units of an order line are covered, and why' })
export class AllocationGql {
  @Field(() => ID)
  id!: string;

  @Field(() => AllocationKind)
  kind!: AllocationKind;

  @Field(() => AllocationStatus)
  status!: AllocationStatus;

  @Field(() => String, { nullable: true, description: 'The warehouse that ships these units (null for drop ship)' })
  warehouseCode!: string | null;

  @Field(() => String, { nullable: true, description: 'TRANSFER: where the units come from' })
  sourceWarehouseCode!: string | null;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  eta!: Date | null;

  @Field(() => String, { description: 'A sentence a person can read, e.g. "30 wait for PO-1042, expected 2026-12-03"' })
  reason!: string;

  @Field(() => PurchaseOrderGql, { nullable: true, description: 'WAIT: the purchase order waited for; DROP_SHIP: the drop-ship order' })
  purchaseOrder!: PurchaseOrderGql | null;

  @Field(() => TransferGql, { nullable: true, description: 'TRANSFER: the transfer that moves the units' })
  transfer!: TransferGql | null;
}

@ObjectType('OrderLine', {
  description: 'quantity = allocatedQuantity + backorderedQuantity + shippedQuantity + cancelledQuantity',
})
export class OrderLineGql {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  lineNo!: number;

  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar, { description: 'Exact, as a decimal string ("12.5")' })
  unitPrice!: string;

  @Field(() => DecimalScalar, { description: 'unitPrice × (quantity - cancelledQuantity), exact' })
  lineTotal!: string;

  @Field(() => Int, { description: 'Reserved in a warehouse or on its way to one by transfer (PULL, TRANSFER)' })
  allocatedQuantity!: number;

  @Field(() => Int, { description: 'Waiting for supply (WAIT) or for a supplier to ship (DROP_SHIP)' })
  backorderedQuantity!: number;

  @Field(() => Int)
  shippedQuantity!: number;

  @Field(() => Int)
  cancelledQuantity!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the line's last units are expected to reach the customer" })
  eta!: Date | null;

  @Field(() => [AllocationGql], { description: 'Active and shipped allocations' })
  allocations!: AllocationGql[];
}

@ObjectType('Order')
export class OrderGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'SO-<number>' })
  number!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => ID)
  customerId!: string;

  @Field(() => String)
  channel!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String)
  shipToRegion!: string;

  @Field(() => FulfilmentPolicy)
  fulfilmentPolicy!: FulfilmentPolicy;

  @Field(() => OrderPriority)
  priority!: OrderPriority;

  @Field(() => [OrderFlag])
  flags!: OrderFlag[];

  @Field(() => Int, { nullable: true, description: 'The most warehouses this order may ship from' })
  maxWarehouses!: number | null;

  @Field(() => String, { nullable: true })
  holdReason!: string | null;

  @Field(() => Int, { description: 'Goes up on every change to the order; actions take it back as expectedVersion' })
  version!: number;

  @Field(() => DateTimeScalar)
  placedAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => [OrderLineGql])
  lines!: OrderLineGql[];

  @Field(() => [ShipmentGql])
  shipments!: ShipmentGql[];

  @Field(() => [OrderEventGql], { description: 'The timeline, oldest first' })
  events!: OrderEventGql[];

  @Field(() => OrderGql, { nullable: true, description: 'SPLIT_ORDER: the order this one was split from' })
  splitFrom!: OrderGql | null;

  @Field(() => [OrderGql], { description: 'SPLIT_ORDER: the orders split off this one' })
  splitInto!: OrderGql[];
}

@ObjectType('OrderEvent')
export class OrderEventGql {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => OrderEventType)
  type!: OrderEventType;

  @Field(() => OrderStatus, { description: "The order's status right after the event" })
  status!: OrderStatus;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String)
  message!: string;

  @Field(() => OrderGql)
  order!: OrderGql;
}

@ObjectType('BackorderSupply', { description: 'One supply a backorder waits for, and its place in the queue on it' })
export class BackorderSupplyGql {
  @Field(() => BackorderSupplyKind)
  kind!: BackorderSupplyKind;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When these units are expected to reach the customer' })
  eta!: Date | null;

  @Field(() => String, { nullable: true, description: 'Where the supply arrives and the units ship from' })
  warehouseCode!: string | null;

  @Field(() => PurchaseOrderGql, { nullable: true })
  purchaseOrder!: PurchaseOrderGql | null;

  @Field(() => TransferGql, { nullable: true })
  transfer!: TransferGql | null;

  @Field(() => Int, { description: '1 = served first among the demand waiting on this same supply (priority, then age)' })
  queuePosition!: number;

  @Field(() => Int, { description: 'Units of this supply promised to demand served before this one' })
  unitsAhead!: number;

  @Field(() => String, { description: 'e.g. "needs 30: 12 covered by PO-7 (expected 2026-12-12 at EAST), 18 uncovered (supplier lead time, …)"' })
  description!: string;
}

@ObjectType('BackorderSkuTotal', { description: 'Open backorders of one SKU: the demand signal for purchasing' })
export class BackorderSkuTotalGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int, { description: 'Backordered units' })
  unitsOwed!: number;

  @Field(() => Int, { description: 'Backordered order lines' })
  lines!: number;

  @Field(() => DateTimeScalar)
  oldestPlacedAt!: Date;

  @Field(() => Int, { description: 'Units a purchase order or drop-ship order covers' })
  coveredQuantity!: number;

  @Field(() => Int, { description: 'Units waiting for the lead time: nothing on order yet' })
  uncoveredQuantity!: number;
}

@ObjectType('Backorder', { description: 'An order line with units waiting for supply' })
export class BackorderGql {
  @Field(() => ID, { description: 'The order line id' })
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { description: 'SO-<number>' })
  orderNumber!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => OrderPriority)
  priority!: OrderPriority;

  @Field(() => DateTimeScalar)
  placedAt!: Date;

  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int)
  backorderedQuantity!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  eta!: Date | null;

  @Field(() => String)
  channel!: string;

  @Field(() => String, { nullable: true, description: 'Where it will ship from, if known' })
  warehouseCode!: string | null;

  @Field(() => [BackorderSupplyGql], { description: 'What it waits for: purchase order lines, transfers, drop-ship orders, the lead time' })
  supply!: BackorderSupplyGql[];

  @Field(() => String, { description: 'The pegging in words, e.g. "needs 30: 12 covered by PO-7 (…), 18 uncovered (…)"' })
  description!: string;

  @Field(() => Int, { description: 'Backordered units a purchase order or drop-ship order covers' })
  coveredQuantity!: number;

  @Field(() => Int, { description: 'backorderedQuantity - coveredQuantity: units waiting for the lead time' })
  uncoveredQuantity!: number;

  @Field(() => BackorderCoverage)
  coverage!: BackorderCoverage;

  @Field(() => Int, { description: 'Whole days since the order was placed' })
  ageDays!: number;

  @Field(() => Boolean, { description: 'Its ETA is in the past' })
  overdue!: boolean;

  @Field(() => OrderGql)
  order!: OrderGql;

  @Field(() => OrderLineGql)
  line!: OrderLineGql;
}

export const OrderConnection = connectionType('Order', OrderGql);
export const BackorderConnection = connectionType('Backorder', BackorderGql);

@InputType('OrderFilter')
export class OrderFilter implements OrderFilterArgs {
  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => OrderStatus, { nullable: true })
  status?: OrderStatus | null;

  @Field(() => String, { nullable: true })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'SO-1042 or 1042' })
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'Orders with a line for this SKU' })
  sku?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  placedFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  placedTo?: Date | null;
}

@InputType('BackorderFilter', { description: 'Every field given must match' })
export class BackorderFilter implements BackorderFilterArgs {
  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => String, { nullable: true })
  channel?: string | null;

  @Field(() => OrderPriority, { nullable: true })
  priority?: OrderPriority | null;

  @Field(() => String, { nullable: true, description: 'Where it will ship from (Backorder.warehouseCode)' })
  warehouseCode?: string | null;

  @Field(() => String, { nullable: true, description: "The supplier of a purchase order it waits for, or the product's supplier" })
  supplier?: string | null;

  @Field(() => ID, { nullable: true, description: 'It waits for (or is drop-shipped on) this purchase order' })
  purchaseOrderId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Placed at least this many whole days ago' })
  minAgeDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: its ETA has passed; false: it has not, or it has none' })
  overdue?: boolean | null;
}

@InputType('OrderEventFilter', { description: 'Every field given must match; a list matches any of its values' })
export class OrderEventFilter {
  @Field(() => ID, { nullable: true })
  orderId?: string | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => [OrderEventType], { nullable: true })
  types?: OrderEventType[] | null;

  @Field(() => [OrderStatus], { nullable: true })
  statuses?: OrderStatus[] | null;
}

@InputType('PlaceOrderLineInput')
export class PlaceOrderLineInput implements PlaceOrderCommandLine {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar, {
    description: 'A number or a decimal string ("12.50"): not negative, at most the currency\'s decimals (EUR 2, JPY 0), at most 1000000000',
  })
  unitPrice!: PriceInput;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput implements PlaceOrderCommand {
  @Field(() => String, { description: 'Placing twice with one key and the same body returns the first order; another body is a CONFLICT' })
  idempotencyKey!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => String)
  channel!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String)
  shipToRegion!: string;

  @Field(() => FulfilmentPolicy, {
    nullable: true,
    description: "Left out: the strictest its products' defaults, else its channel's, else the allocation settings' default (SHIP_PARTIAL)",
  })
  fulfilmentPolicy?: FulfilmentPolicy | null;

  @Field(() => OrderPriority, { nullable: true, description: 'Left out: NORMAL' })
  priority?: OrderPriority | null;

  @Field(() => [OrderFlag], { nullable: true })
  flags?: OrderFlag[] | null;

  @Field(() => Int, { nullable: true, description: '1 means one parcel: transfer or wait rather than split' })
  maxWarehouses?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Percent tax on this order's invoices, over its products' rates (0 to 100)" })
  taxRate?: string | null;

  @Field(() => [PlaceOrderLineInput])
  lines!: PlaceOrderLineInput[];
}

@ObjectType('GoodsReceiptServed', { description: 'Units of a goods receipt that went to a waiting order' })
export class GoodsReceiptServedGql {
  @Field(() => OrderGql)
  order!: OrderGql;

  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}
