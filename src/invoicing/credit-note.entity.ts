import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '../customers/customer.entity';
import { Invoice, InvoiceLine } from './invoice.entity';
import { PricedLineColumns } from './priced-line.entity';

/** A credit note against one invoice, whole or per line; immutable like the invoice (a trigger refuses UPDATE and DELETE). */
@Entity({ tableName: 'credit_note' })
@Index({ properties: ['invoice'] })
export class CreditNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** CN-2026-000001: gap-free per series and year. */
  @Property({ type: 'text', unique: true })
  number!: string;

  @ManyToOne(() => Invoice)
  invoice!: Rel<Invoice>;

  @ManyToOne(() => Customer)
  customer!: Rel<Customer>;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  reason!: string;

  /** The return this credit note refunds, when a return caused it. */
  @Property({ type: 'uuid', nullable: true })
  returnId?: string | null;

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

@Entity({ tableName: 'credit_note_line' })
@Unique({ properties: ['creditNote', 'lineNo'] })
@Index({ properties: ['invoiceLine'] })
@Check({ name: 'credit_note_line_quantity_positive', expression: 'quantity > 0' })
export class CreditNoteLine extends PricedLineColumns {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => CreditNote)
  creditNote!: Rel<CreditNote>;

  @Property({ type: 'integer' })
  lineNo!: number;

  @ManyToOne(() => InvoiceLine)
  invoiceLine!: Rel<InvoiceLine>;
}
