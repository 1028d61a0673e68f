import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { Order } from './order.entity';
import { OrderEventType, OrderStatus } from './order.enums';

/** The order's timeline: append-only. */
@Entity({ tableName: 'order_event' })
@Index({ properties: ['order', 'id'] })
export class OrderEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Rel<Order>;

  @Enum({ items: () => OrderEventType })
  type!: OrderEventType;

  @Enum({ items: () => OrderStatus })
  status!: OrderStatus;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
