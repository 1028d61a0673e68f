import { Property } from '@mikro-orm/core';

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
