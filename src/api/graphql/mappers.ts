import type { OrderEventMessage } from '../../events/topics';
import type { OrderEvent } from '../../orders/order-event.entity';
import { OrderEventType, OrderStatus } from '../../orders/order.enums';

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
