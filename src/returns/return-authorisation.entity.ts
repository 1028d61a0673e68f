import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from '../orders/order.entity';
import { ReturnCondition, ReturnStatus } from './return.enums';

/** A return authorisation (RMA) for shipped units of one order. */
@Entity({ tableName: 'return_authorisation' })
@Index({ properties: ['order'] })
export class ReturnAuthorisation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Human-facing number (RMA-12), from a sequence. */
  @Property({ type: 'bigint', autoincrement: true, unique: true })
  number!: string;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Rel<Order>;

  @Enum({ items: () => ReturnStatus, default: ReturnStatus.AUTHORISED })
  status: ReturnStatus = ReturnStatus.AUTHORISED;

  @Property({ type: 'text' })
  reason!: string;

  /** Goes up by one on every change (receipt, exchange, refund): `expectedVersion` of the mutations on it. */
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @OneToMany(() => ReturnLine, (line) => line.returnAuthorisation, { orderBy: { sku: 'asc' } })
  lines = new Collection<ReturnLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * One SKU of a return. Each authorised unit is refunded (a credit note) or replaced (an exchange), never both, and
 * only received units are refunded; the database checks it.
 */
@Entity({ tableName: 'return_line' })
@Unique({ properties: ['returnAuthorisation', 'sku'] })
@Check({
  name: 'return_line_quantities_add_up',
  expression:
    'quantity > 0 and received_sellable_quantity >= 0 and received_damaged_quantity >= 0 and exchanged_quantity >= 0 and refunded_quantity >= 0' +
    ' and received_sellable_quantity + received_damaged_quantity <= quantity' +
    ' and refunded_quantity <= received_sellable_quantity + received_damaged_quantity and exchanged_quantity + refunded_quantity <= quantity',
})
export class ReturnLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ReturnAuthorisation, { deleteRule: 'cascade', fieldName: 'return_id' })
  returnAuthorisation!: Rel<ReturnAuthorisation>;

  @Property({ type: 'text' })
  sku!: string;

  /** Units authorised for return. */
  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'integer', default: 0 })
  receivedSellableQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  receivedDamagedQuantity: number = 0;

  /** Units a replacement order was created for. */
  @Property({ type: 'integer', default: 0 })
  exchangedQuantity: number = 0;

  /** Units credited (the invoicing seam: `recordRefund`). */
  @Property({ type: 'integer', default: 0 })
  refundedQuantity: number = 0;
}

/** One receipt of returned goods, as received. */
@Entity({ tableName: 'return_receipt' })
@Index({ properties: ['returnAuthorisation'] })
export class ReturnReceipt {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ReturnAuthorisation, { deleteRule: 'cascade', fieldName: 'return_id' })
  returnAuthorisation!: Rel<ReturnAuthorisation>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @OneToMany(() => ReturnReceiptLine, (line) => line.receipt, { orderBy: { sku: 'asc' } })
  lines = new Collection<ReturnReceiptLine>(this);
}

/**
 * Units of one SKU received in one condition at one warehouse: SELLABLE went back on hand there, DAMAGED were
 * written off there (this row is the write-off's stock movement, with its reason in `note`).
 */
@Entity({ tableName: 'return_receipt_line' })
@Check({ name: 'return_receipt_line_quantity_positive', expression: 'quantity > 0' })
export class ReturnReceiptLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ReturnReceipt, { deleteRule: 'cascade' })
  receipt!: Rel<ReturnReceipt>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Enum({ items: () => ReturnCondition })
  condition!: ReturnCondition;

  @Property({ type: 'text' })
  warehouseCode!: string;

  @Property({ type: 'text' })
  note!: string;
}

/** A replacement order created for units of a return. */
@Entity({ tableName: 'exchange' })
@Index({ properties: ['returnAuthorisation'] })
@Index({ properties: ['originalOrder'] })
export class Exchange {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ReturnAuthorisation, { deleteRule: 'cascade', fieldName: 'return_id' })
  returnAuthorisation!: Rel<ReturnAuthorisation>;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  originalOrder!: Rel<Order>;

  @ManyToOne(() => Order, { deleteRule: 'cascade', unique: true })
  replacementOrder!: Rel<Order>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
