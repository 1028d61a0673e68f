import { Entity, Index, OneToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { Order } from '../orders/order.entity';

/**
 * What makes an order a quote: until when it is offered, and when it was sent, confirmed or expired. The order row
 * itself carries the status (QUOTE, QUOTE_SENT, QUOTE_EXPIRED, then PENDING onwards once confirmed); this row stays
 * after confirmation, so an order shows that it began as a quote.
 */
@Entity({ tableName: 'quote' })
@Index({ properties: ['validUntil'] })
export class Quote {
  [PrimaryKeyProp]?: 'order';

  @OneToOne({ entity: () => Order, primary: true, owner: true, deleteRule: 'cascade' })
  order!: Rel<Order>;

  @Property({ type: 'timestamptz' })
  validUntil!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiredAt?: Date | null;
}
