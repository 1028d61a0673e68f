import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import type { OrderEventMessage, StockChangedMessage } from '../events/topics';

/** The Postgres NOTIFY channel that wakes the outbox relay as soon as a transaction with messages commits. */
export const OUTBOX_NOTIFY_CHANNEL = 'oms_outbox';

export type OutboxMessageInput =
  | { kind: 'allocate'; payload: { cause: string } }
  | { kind: 'order-event'; payload: OrderEventMessage }
  | { kind: 'stock-changed'; payload: StockChangedMessage };

/**
 * Writes messages in the caller's transaction (pass the transactional `em`), with a NOTIFY that Postgres
 * delivers only if the transaction commits, in one statement.
 */
export async function writeOutbox(em: EntityManager, messages: OutboxMessageInput[]): Promise<void> {
  if (messages.length === 0) return;
  await executeBound(
    em,
    `with written as (
       insert into outbox_message (kind, payload)
       select m.kind, m.payload from json_to_recordset(?::json) as m(kind text, payload jsonb))
     select pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '')`,
    [JSON.stringify(messages)],
  );
}

/**
 * Records that the allocator owes work (an order to allocate, or a SKU whose supply changed) and asks the relay
 * to wake a worker. Call inside the transaction that causes the work.
 */
export async function requestAllocation(em: EntityManager, requests: Array<{ orderId?: string; sku?: string }>, cause: string): Promise<void> {
  if (requests.length === 0) return;
  await executeBound(
    em,
    `insert into allocation_request (order_id, sku, cause)
     select r.order_id, r.sku, ? from json_to_recordset(?::json) as r(order_id uuid, sku text)`,
    [cause, JSON.stringify(requests.map((r) => ({ order_id: r.orderId ?? null, sku: r.sku ?? null })))],
  );
  await writeOutbox(em, [{ kind: 'allocate', payload: { cause } }]);
}

/** Tells subscribers that these stock levels changed (the subscription reads the fresh row). */
export async function announceStockChanges(em: EntityManager, changes: StockChangedMessage[]): Promise<void> {
  await writeOutbox(
    em,
    changes.map((payload) => ({ kind: 'stock-changed' as const, payload })),
  );
}
