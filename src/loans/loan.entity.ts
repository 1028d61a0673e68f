import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '../customers/customer.entity';
import { Order } from '../orders/order.entity';
import { LoanEventType, LoanStatus } from './loan.enums';

/**
 * Goods lent to a customer from one warehouse. Lent units leave on hand for `stock_level.on_loan_quantity`: still
 * owned (owned = on hand + on loan), no longer available. They come back (return) or leave stock (sold).
 */
@Entity({ tableName: 'loan' })
@Index({ properties: ['customer', 'createdAt'] })
export class Loan {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Human-facing number (LN-3), from a sequence. */
  @Property({ type: 'bigint', autoincrement: true, unique: true })
  number!: string;

  @ManyToOne(() => Customer)
  customer!: Rel<Customer>;

  @Property({ type: 'text' })
  warehouseCode!: string;

  /** Set when the goods were lent against an order: the loan's events are on its timeline too. */
  @ManyToOne(() => Order, { nullable: true, deleteRule: 'set null' })
  order?: Rel<Order> | null;

  @Enum({ items: () => LoanStatus, default: LoanStatus.OPEN })
  status: LoanStatus = LoanStatus.OPEN;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @OneToMany(() => LoanLine, (line) => line.loan, { orderBy: { sku: 'asc' } })
  lines = new Collection<LoanLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One SKU of a loan: quantity = still out + returned + sold (out = quantity − returned − sold). */
@Entity({ tableName: 'loan_line' })
@Unique({ properties: ['loan', 'sku'] })
@Check({
  name: 'loan_line_quantities_add_up',
  expression: 'quantity > 0 and returned_quantity >= 0 and sold_quantity >= 0 and returned_quantity + sold_quantity <= quantity',
})
export class LoanLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Loan, { deleteRule: 'cascade' })
  loan!: Rel<Loan>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'integer', default: 0 })
  returnedQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  soldQuantity: number = 0;
}

/** The loan's own timeline, append-only (copied to its order's timeline when it has one). */
@Entity({ tableName: 'loan_event' })
@Index({ properties: ['loan', 'id'] })
export class LoanEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Loan, { deleteRule: 'cascade' })
  loan!: Rel<Loan>;

  @Enum({ items: () => LoanEventType })
  type!: LoanEventType;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
