import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Loan, LoanLine } from '../loans/loan.entity';
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
@Index({ properties: ['loan'] })
@Check({ name: 'invoice_loan_only_on_loan_invoices', expression: "(kind = 'LOAN') = (loan_id is not null)" })
export class Invoice extends IssuedDocumentColumns {
  @Enum({ items: () => InvoiceKind })
  kind!: InvoiceKind;

  /** The loan a LOAN invoice bills (set on those only). */
  @ManyToOne(() => Loan, { nullable: true, deleteRule: 'no action' })
  loan?: Rel<Loan> | null;

  /** A cash sale: set when the invoice is issued, and like every column never changed after. */
  @Property({ type: 'timestamptz', nullable: true })
  paidAt?: Date | null;
}

/** What one order line shipped in one shipment, priced; or, on a LOAN invoice, what one loan line sold. */
@Entity({ tableName: 'invoice_line' })
@Unique({ properties: ['invoice', 'lineNo'] })
@Index({ properties: ['order'] })
@Index({ properties: ['shipment'] })
@Index({ properties: ['loanLine'] })
@Check({ name: 'invoice_line_quantity_positive', expression: 'quantity > 0' })
@Check({
  name: 'invoice_line_shipped_or_lent',
  expression:
    '(order_id is not null and order_line_id is not null and shipment_id is not null and loan_line_id is null)' +
    ' or (order_id is null and order_line_id is null and shipment_id is null and loan_line_id is not null)',
})
export class InvoiceLine extends PricedLineColumns {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Invoice)
  invoice!: Rel<Invoice>;

  @Property({ type: 'integer' })
  lineNo!: number;

  /** order, orderLine and shipment: set on a shipped line, null on a loan line. */
  @ManyToOne(() => Order, { nullable: true, deleteRule: 'no action' })
  order?: Rel<Order> | null;

  @ManyToOne(() => OrderLine, { nullable: true, deleteRule: 'no action' })
  orderLine?: Rel<OrderLine> | null;

  @ManyToOne(() => Shipment, { nullable: true, deleteRule: 'no action' })
  shipment?: Rel<Shipment> | null;

  /** The loan line whose units this line sold: set on a loan line only. */
  @ManyToOne(() => LoanLine, { nullable: true, deleteRule: 'no action' })
  loanLine?: Rel<LoanLine> | null;
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
