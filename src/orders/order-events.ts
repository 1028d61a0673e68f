import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { OUTBOX_NOTIFY_CHANNEL } from '../outbox/outbox';
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
 * reaches subscribers only if the change it describes committed, and always does if it did. One statement with
 * bound parameters: the events, their outbox messages (built in SQL, in event order) and the relay's wake-up, so
 * a receipt that serves thousands of orders sends one JSON document and reads nothing back.
 */
export async function recordOrderEvents(em: EntityManager, events: NewOrderEvent[]): Promise<void> {
  if (events.length === 0) return;
  await executeBound(
    em,
    `with given as (
       select * from json_to_recordset(?::json) as e(order_id uuid, customer_id text, type text, status text, message text, n int)),
     customer as (select distinct on (order_id) order_id, customer_id from given),
     recorded as (
       insert into order_event (order_id, type, status, message)
       select g.order_id, g.type, g.status, g.message from given g order by g.n
       returning id, order_id, type, status, message, at),
     queued as (
       insert into outbox_message (kind, payload)
       select 'order-event', ${orderEventMessageSql('e', 'c.customer_id')}
       from recorded e join customer c on c.order_id = e.order_id
       order by e.id)
     select pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '')`,
    [
      JSON.stringify(
        events.map((e, n) => ({ order_id: e.orderId, customer_id: e.customerId, type: e.type, status: e.status, message: e.message, n })),
      ),
    ],
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
