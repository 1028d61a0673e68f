import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A message to deliver after the transaction that wrote it commits: a job for the worker or an event for
 * subscribers. The relay delivers undelivered ones at least once, in id order.
 */
@Entity({ tableName: 'outbox_message' })
@Index({
  name: 'outbox_message_undelivered_index',
  expression: 'create index "outbox_message_undelivered_index" on "outbox_message" ("id") where "delivered_at" is null',
})
export class OutboxMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}
