import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  /** Owed: waiting for its next attempt (or being attempted, under a lease). */
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** Every attempt failed; `retryWebhookDelivery` owes it again. */
  FAILED = 'FAILED',
}

/**
 * One event owed to one endpoint, and its delivery log. Unique per (endpoint, event), so a relay that replays its
 * outbox after a crash never owes an event twice. A dispatcher claims a row by moving `next_attempt_at` past the
 * attempt's timeout under a fresh `claim_token` (select … for update skip locked): no other dispatcher takes it
 * meanwhile, and if the claimer dies the row is due again when the lease runs out.
 */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_endpoint_event_unique', properties: ['endpoint', 'eventId'] })
@Index({
  name: 'webhook_delivery_due_index',
  expression: `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING'`,
})
@Index({ properties: ['endpoint', 'createdAt'] })
@Check({ name: 'webhook_delivery_attempts_not_negative', expression: 'attempts >= 0' })
export class WebhookDelivery {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: Rel<WebhookEndpoint>;

  /** The order event's id (order_event.id): the `id` of the body and the receiver's key for de-duplication. */
  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'uuid', nullable: true })
  orderId?: string | null;

  /** The body sent, fixed when the delivery is owed: `{ id, type, occurredAt, data }`. */
  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Enum({ items: () => WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'integer', nullable: true })
  lastHttpStatus?: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt?: Date | null;

  /** When it is due next (or when its current claim lapses); null once delivered or failed. */
  @Property({ type: 'timestamptz', nullable: true, defaultRaw: 'now()' })
  nextAttemptAt?: Date | null;

  /** Set by each claim; an attempt records its outcome only while its token is still the row's. */
  @Property({ type: 'uuid', nullable: true })
  claimToken?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
