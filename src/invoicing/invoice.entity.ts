import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from '../orders/order.entity';
import { OrderLine } from '../orders/order-line.entity';
import { Shipment } from '../shipments/shipment.entity';
import { InvoiceKind } from './invoicing.enums';
import { IssuedDocumentColumns, PricedLineColumns } from './document-columns.entity';

/**
 * An issued invoice. Immutable: rows are only ever inserted; a database trigger refuses UPDATE and DELETE of it and
 * its lines. It is corrected by credit notes; what is credited is derived from them, never stored here.
 * Amounts in the invoice's one currency, numeric(19,4).
 */
@Entity({ tableName: 'invoice' })
@Index({ properties: ['customer', 'issuedAt'] })
export class Invoice extends IssuedDocumentColumns {
  @Enum({ items: () => InvoiceKind })
  kind!: InvoiceKind;

  /** A cash sale: set when the invoice is issued, and like every column never changed after. */
  @Property({ type: 'timestamptz', nullable: true })
  paidAt?: Date | null;
}

/** What one order line shipped in one shipment, priced. */
@Entity({ tableName: 'invoice_line' })
@Unique({ properties: ['invoice', 'lineNo'] })
@Index({ properties: ['order'] })
@Index({ properties: ['shipment'] })
@Check({ name: 'invoice_line_quantity_positive', expression: 'quantity > 0' })
export class InvoiceLine extends PricedLineColumns {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Invoice)
  invoice!: Rel<Invoice>;

  @Property({ type: 'integer' })
  lineNo!: number;

  @ManyToOne(() => Order)
  order!: Rel<Order>;

  @ManyToOne(() => OrderLine)
  orderLine!: Rel<OrderLine>;

  @ManyToOne(() => Shipment)
  shipment!: Rel<Shipment>;
}

/** A shipment is invoiced once: this row says by which invoice (the primary key is the shipment). */
@Entity({ tableName: 'invoice_shipment' })
@Index({ properties: ['invoice'] })
export class InvoicedShipment {
  @ManyToOne(() => Shipment, { primary: true })
  shipment!: Rel<Shipment>;

  @ManyToOne(() => Invoice)
  invoice!: Rel<Invoice>;
}
