import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderEventMessage } from '../events/topics';
import { DOCUMENT_PREFIX } from '../shared/document-numbers';
import { ALL_WEBHOOK_EVENTS } from './webhook-event-types';

/**
 * Owes each order event to every enabled endpoint subscribed to its type, in the outbox relay's transaction (so
 * it happens once the event committed, and again after a crash only as a no-op: unique per endpoint and event).
 * The body is fixed here: `{ id, type, occurredAt, data }`, `data` being the event's fields (and any a writer adds)
 * plus the order number. Returns how many deliveries it created.
 */
export async function oweWebhookDeliveries(em: EntityManager, events: readonly OrderEventMessage[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows: Array<{ id: string }> = await em.execute(
    `insert into webhook_delivery (id, endpoint_id, event_id, event_type, order_id, payload)
     select gen_random_uuid(), w.id, e.event->>'id', e.event->>'type', (e.event->>'orderId')::uuid,
            jsonb_build_object('id', e.event->>'id', 'type', e.event->>'type', 'occurredAt', e.event->>'at',
              'data', (e.event - 'id' - 'type' - 'at')
                || case when o.number is null then '{}'::jsonb else jsonb_build_object('orderNumber', ? || o.number) end)
     from jsonb_array_elements(?::jsonb) with ordinality as e(event, n)
     join webhook_endpoint w on w.enabled and w.event_types && array[e.event->>'type', ?]
     left join sales_order o on o.id = (e.event->>'orderId')::uuid
     order by e.n, w.id
     on conflict (endpoint_id, event_id) do nothing
     returning id`,
    [`${DOCUMENT_PREFIX.order}-`, JSON.stringify(events), ALL_WEBHOOK_EVENTS],
  );
  return rows.length;
}
