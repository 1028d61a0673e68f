import type { EntityManager } from '@mikro-orm/postgresql';
import { writeOutbox } from '../outbox/outbox';
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
      payload: {
        id: String(row.id),
        orderId: row.order_id,
        customerId: customerOf.get(row.order_id)!,
        type: row.type,
        status: row.status,
        message: row.message,
        at: new Date(row.at).toISOString(),
      },
    })),
  );
}
