import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A buyer. Storefronts name customers by their own id; the first order creates the record. */
@Entity({ tableName: 'customer' })
export class Customer {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text', nullable: true })
  name?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
