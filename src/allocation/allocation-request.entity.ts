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

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
