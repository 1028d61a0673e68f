import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Invoice, InvoiceLine } from './invoice.entity';
import { IssuedDocumentColumns, PricedLineColumns } from './document-columns.entity';

/** A credit note against one invoice, whole or per line; immutable like the invoice (a trigger refuses UPDATE and DELETE). */
@Entity({ tableName: 'credit_note' })
@Index({ properties: ['invoice'] })
export class CreditNote extends IssuedDocumentColumns {
  @ManyToOne(() => Invoice)
  invoice!: Rel<Invoice>;

  @Property({ type: 'text' })
  reason!: string;

  /** The return this credit note refunds, when a return caused it. */
  @Property({ type: 'uuid', nullable: true })
  returnId?: string | null;
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
