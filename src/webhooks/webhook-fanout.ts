import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_PREFIX } from '../shared/document-numbers';
import { ALL_WEBHOOK_EVENTS } from './webhook-event-types';
import { sqlArray } from '../db/sql';

/**
 * Owes the order events of these outbox messages to every enabled endpoint subscribed to their type, in the outbox
 * relay's transaction (so once the event committed, and after a crash and replay only as a no-op: unique per
 * endpoint and event). Reads the events where they are rather than shipping them back to the database. The body
 * is fixed here: `{ id, type, occurredAt, data }`, `data` being the event's fields (and any a writer adds) plus the
 * order number. Returns how many deliveries it created.
 */
export async function oweWebhookDeliveries(em: EntityManager, outboxMessageIds: readonly string[]): Promise<number> {
  if (outboxMessageIds.length === 0) return 0;
  const rows: Array<{ id: string }> = await em.execute(
    `insert into webhook_delivery (id, endpoint_id, event_id, event_type, order_id, payload)
     select gen_random_uuid(), w.id, m.payload->>'id', m.payload->>'type', (m.payload->>'orderId')::uuid,
            jsonb_build_object('id', m.payload->>'id', 'type', m.payload->>'type', 'occurredAt', m.payload->>'at',
              'data', (m.payload - 'id' - 'type' - 'at')
                || case when o.number is null then '{}'::jsonb else jsonb_build_object('orderNumber', ? || o.number) end)
     from outbox_message m
     join webhook_endpoint w on w.enabled and w.event_types && array[m.payload->>'type', ?]
     left join sales_order o on o.id = (m.payload->>'orderId')::uuid
     where m.id = any(?::bigint[]) and m.kind = 'order-event'
     order by m.id, w.id
     on conflict (endpoint_id, event_id) do nothing
     returning id`,
    [`${DOCUMENT_PREFIX.order}-`, ALL_WEBHOOK_EVENTS, sqlArray(outboxMessageIds)],
  );
  return rows.length;
}
