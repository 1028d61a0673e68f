import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '../customers/customer.entity';
import { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from './order.enums';
import { OrderLine } from './order-line.entity';

@Entity({ tableName: 'sales_order' })
@Index({ properties: ['customer', 'placedAt'] })
@Index({ properties: ['status', 'placedAt'] })
export class Order {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Human-facing order number, from a sequence. */
  @Property({ type: 'bigint', autoincrement: true, unique: true })
  number!: string;

  @Enum({ items: () => OrderStatus, default: OrderStatus.PENDING })
  status: OrderStatus = OrderStatus.PENDING;

  @ManyToOne(() => Customer)
  customer!: Rel<Customer>;

  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  shipToRegion!: string;

  @Enum({ items: () => FulfilmentPolicy })
  fulfilmentPolicy!: FulfilmentPolicy;

  @Enum({ items: () => OrderPriority, default: OrderPriority.NORMAL })
  priority: OrderPriority = OrderPriority.NORMAL;

  @Enum({ items: () => OrderFlag, array: true, default: [] })
  flags: OrderFlag[] = [];

  @Property({ type: 'integer', nullable: true })
  maxWarehouses?: number | null;

  @Property({ type: 'text', nullable: true })
  holdReason?: string | null;

  /** Percent tax on its invoices, over its products' own rates (src/invoicing/invoice-money.ts). */
  @Property({ type: 'decimal', precision: 7, scale: 4, nullable: true })
  taxRate?: string | null;

  /**
   * Goes up by one on every change to the order (actions, allocation, shipping), so a person acting on what they
   * saw can say which state they saw (`expectedVersion`). Raised in SQL, never by the ORM's own version check.
   */
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @ManyToOne(() => Order, { nullable: true })
  splitFrom?: Rel<Order> | null;

  @Property({ type: 'text', nullable: true })
  @Unique()
  idempotencyKey?: string | null;

  /** SHA-256 of the canonical placeOrder request (src/orders/order-request-hash.ts): a reused key must bring the same body. */
  @Property({ type: 'text', nullable: true })
  requestHash?: string | null;

  @OneToMany(() => OrderLine, (line) => line.order, { orderBy: { lineNo: 'asc' } })
  lines = new Collection<OrderLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  placedAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
