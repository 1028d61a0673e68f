import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Work the allocator owes: an order to allocate, or a product whose supply changed so its open demand must be
 * planned again. Written in the same transaction as the change that causes it, deleted in the same transaction
 * as the allocation that settles it, so the database, not Redis, remembers what is owed.
 */
@Entity({ tableName: 'allocation_request' })
export class AllocationRequest {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  orderId?: string | null;

  @Property({ type: 'text', nullable: true })
  sku?: string | null;

  @Property({ type: 'text' })
  cause!: string;

  /** Batches that failed while holding this request. At MAX_ALLOCATION_ATTEMPTS it is set aside for a person. */
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
