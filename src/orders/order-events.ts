import type { EntityManager } from '@mikro-orm/postgresql';
import { writeOutbox } from '../outbox/outbox';
import type { OrderEventMessage } from '../events/topics';
import type { OrderEventType, OrderStatus } from './order.enums';

export interface NewOrderEvent {
  orderId: string;
  customerId: string;
  type: OrderEventType;
  status: OrderStatus;
  message: string;
}

/**
 * Appends events to orders' timelines and queues them for live delivery, in the caller's transaction: an event
 * reaches subscribers only if the change it describes committed, and always does if it did.
 */
export async function recordOrderEvents(em: EntityManager, events: NewOrderEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows: Array<{ id: string; order_id: string; type: string; status: string; message: string; at: Date }> = await em.execute(
    `insert into order_event (order_id, type, status, message)
     select e.order_id, e.type, e.status, e.message
     from jsonb_to_recordset(?::jsonb) as e(order_id uuid, type text, status text, message text, n int)
     order by e.n
     returning id, order_id, type, status, message, at`,
    [JSON.stringify(events.map((e, n) => ({ order_id: e.orderId, type: e.type, status: e.status, message: e.message, n })))],
  );
  const customerOf = new Map(events.map((e) => [e.orderId, e.customerId]));
  await writeOutbox(
    em,
    rows.map((row) => ({
      kind: 'order-event' as const,
      payload: orderEventMessageOf(row, customerOf.get(row.order_id)!),
    })),
  );
}

/** An order_event row as written. */
export interface OrderEventRow {
  id: string | number;
  order_id: string;
  type: string;
  status: string;
  message: string;
  at: Date | string;
}

/** The outbox payload of an order event: what subscribers, the console and webhooks receive. */
export function orderEventMessageOf(row: OrderEventRow, customerId: string): OrderEventMessage {
  return {
    id: String(row.id),
    orderId: row.order_id,
    customerId,
    type: row.type,
    status: row.status,
    message: row.message,
    at: new Date(row.at).toISOString(),
  };
}

/**
 * The same payload built in SQL, for statements that write events and their outbox rows at once (group-committed
 * placement): `event` names an order_event row, `customerId` an expression for its order's customer.
 */
export const orderEventMessageSql = (event: string, customerId: string) =>
  `jsonb_build_object('id', ${event}.id::text, 'orderId', ${event}.order_id, 'customerId', ${customerId}, 'type', ${event}.type,
     'status', ${event}.status, 'message', ${event}.message, 'at', to_char(${event}.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
