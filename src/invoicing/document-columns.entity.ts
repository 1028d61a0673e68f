import { ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '../customers/customer.entity';

/** The columns an invoice and a credit note share: who, which currency, totals (numeric(19,4)), when and by whom. */
export abstract class IssuedDocumentColumns {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** INV-2026-000001, CN-2026-000001: gap-free per series and year. */
  @Property({ type: 'text', unique: true })
  number!: string;

  @ManyToOne(() => Customer)
  customer!: Rel<Customer>;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  netTotal!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  taxTotal!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  grossTotal!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  issuedAt: Date = new Date();

  @Property({ type: 'text' })
  issuedBy!: string;
}

/** The priced columns an invoice line and a credit note line share (amounts numeric(19,4), rate in percent). */
export abstract class PricedLineColumns {
  @Property({ type: 'text' })
  sku!: string;

  /** The product's name when the invoice was issued. */
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  unitPrice!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  /** Percent: the order's rate if it has one, else the product's, else 0. */
  @Property({ type: 'decimal', precision: 7, scale: 4 })
  taxRate!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  net!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  tax!: string;

  @Property({ type: 'decimal', precision: 19, scale: 4 })
  gross!: string;
}
