import type { OrderEventMessage } from '../../events/topics';
import type { Order } from '../../orders/order.entity';
import type { OrderEvent } from '../../orders/order-event.entity';
import { OrderEventType, OrderPriority, OrderStatus } from '../../orders/order.enums';
import type { OrderLine } from '../../orders/order-line.entity';
import { formatOrderNumber } from '../../shared/document-numbers';

/**
 * Plain shapes for GraphQL objects whose source is not one entity. Objects that are one entity (Order, OrderLine,
 * Allocation, Shipment, PurchaseOrder, Transfer) are returned as the entity itself; field resolvers derive the rest.
 */
export interface OrderEventView {
  id: string;
  orderId: string;
  type: OrderEventType;
  status: OrderStatus;
  at: Date;
  message: string;
}

export const orderEventViewFromEntity = (event: OrderEvent): OrderEventView => ({
  id: String(event.id),
  orderId: event.order.id,
  type: event.type,
  status: event.status,
  at: event.at,
  message: event.message,
});

/** Redis payloads are JSON: the date arrives as a string. */
export const orderEventViewFromMessage = (message: OrderEventMessage): OrderEventView => ({
  id: String(message.id),
  orderId: message.orderId,
  type: message.type as OrderEventType,
  status: message.status as OrderStatus,
  at: new Date(message.at),
  message: message.message,
});

export interface BackorderView {
  id: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  priority: OrderPriority;
  placedAt: Date;
  sku: string;
  quantity: number;
  backorderedQuantity: number;
  eta: Date | null;
  order: Order;
  line: OrderLine;
}

/** A `Backorder` node from an order and one of its lines with backordered units. */
export const backorderView = (order: Order, line: OrderLine): BackorderView => ({
  id: line.id,
  orderId: order.id,
  orderNumber: formatOrderNumber(order.number),
  customerId: order.customer.id,
  priority: order.priority,
  placedAt: order.placedAt,
  sku: line.sku,
  quantity: line.quantity,
  backorderedQuantity: line.backorderedQuantity,
  eta: line.eta ?? null,
  order,
  line,
});
