import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InvoiceKind, InvoiceStatus, OrderInvoicingStatus, ShipmentInvoicingStatus } from '../../../invoicing/invoicing.enums';
import { connectionType, DateTimeScalar } from './common';
import { DecimalScalar } from './decimal';
import type { LoanInvoiceCommand, LoanInvoiceLineRequest } from '../../../invoicing/loan-invoice-request';

registerEnumType(InvoiceKind, {
  name: 'InvoiceKind',
  valuesConfig: {
    SHIPMENT: { description: 'Shipments of one order' },
    CONSOLIDATED: { description: 'Every uninvoiced shipment of one customer (samleordre)' },
    LOAN: { description: 'Units of one loan the customer keeps (invoiceLoan): they left stock as it was issued' },
  },
});
registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  valuesConfig: {
    ISSUED: { description: 'Issued, not paid on issue, nothing credited' },
    PAID: { description: 'A cash sale, paid on issue, nothing credited' },
    PARTLY_CREDITED: { description: 'Some units credited by credit notes' },
    CREDITED: { description: 'Every unit credited' },
  },
});
registerEnumType(ShipmentInvoicingStatus, { name: 'ShipmentInvoicingStatus' });
registerEnumType(OrderInvoicingStatus, {
  name: 'OrderInvoicingStatus',
  valuesConfig: {
    NOT_INVOICED: { description: 'Nothing invoiced yet' },
    PARTLY_INVOICED: { description: 'Some shipped units invoiced; the rest (shipped or still open) not yet' },
    INVOICED: { description: 'Every unit not cancelled has shipped and is invoiced' },
  },
});

export { InvoiceKind, InvoiceStatus, OrderInvoicingStatus, ShipmentInvoicingStatus };

/** The priced fields an invoice line and a credit note line share (not a type of its own in the schema). */
@ObjectType('PricedLine')
abstract class PricedLineGql {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  lineNo!: number;

  @Field(() => String)
  sku!: string;

  @Field(() => String, { description: "The product's name when the invoice was issued" })
  description!: string;

  @Field(() => DecimalScalar)
  unitPrice!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar, { description: 'Percent' })
  taxRate!: string;

  @Field(() => DecimalScalar)
  lineNet!: string;

  @Field(() => DecimalScalar)
  tax!: string;

  @Field(() => DecimalScalar)
  lineGross!: string;
}

@ObjectType('InvoiceLine', {
  description:
    'What one order line shipped in one shipment (or, on a LOAN invoice, what one loan line sold), priced: lineNet = unitPrice × quantity, tax rounded half up per line',
})
export class InvoiceLineGql extends PricedLineGql {
  @Field(() => ID, { nullable: true, description: 'Null on a LOAN invoice' })
  orderId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null on a LOAN invoice' })
  orderLineId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null on a LOAN invoice' })
  shipmentId!: string | null;

  @Field(() => Int, { description: 'Units credited by credit notes (derived)' })
  creditedQuantity!: number;
}

@ObjectType('InvoicedLoan', { description: 'The loan a LOAN invoice bills' })
export class InvoicedLoanGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'LN-3' })
  reference!: string;
}

/** The fields an invoice and a credit note share (not a type of its own in the schema). */
@ObjectType('IssuedDocument')
abstract class IssuedDocumentGql {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => DateTimeScalar)
  issuedAt!: Date;

  @Field(() => String)
  issuedBy!: string;

  @Field(() => DecimalScalar)
  netTotal!: string;

  @Field(() => DecimalScalar)
  taxTotal!: string;

  @Field(() => DecimalScalar)
  grossTotal!: string;
}

@ObjectType('Invoice', { description: 'An issued invoice: immutable, corrected only by credit notes' })
export class InvoiceGql extends IssuedDocumentGql {
  @Field(() => String, { description: 'INV-<year>-<6 digits>, gap-free' })
  number!: string;

  @Field(() => InvoiceKind)
  kind!: InvoiceKind;

  @Field(() => InvoicedLoanGql, { nullable: true, description: 'The loan a LOAN invoice bills; null on the other kinds' })
  loan!: InvoicedLoanGql | null;

  @Field(() => InvoiceStatus, { description: 'Derived from paidAt and the credit notes' })
  status!: InvoiceStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'A cash sale: paid on issue' })
  paidAt!: Date | null;

  @Field(() => DecimalScalar, { description: 'Net credited by its credit notes (derived, never stored on the invoice)' })
  creditedNet!: string;

  @Field(() => DecimalScalar)
  creditedTax!: string;

  @Field(() => DecimalScalar)
  creditedGross!: string;

  @Field(() => [InvoiceLineGql])
  lines!: InvoiceLineGql[];

  @Field(() => [ID], { description: 'The shipments it invoices' })
  shipmentIds!: string[];

  @Field(() => [ID], { description: 'The orders it invoices (several for a consolidated invoice; none for a LOAN invoice)' })
  orderIds!: string[];
}

@ObjectType('CreditNoteLine')
export class CreditNoteLineGql extends PricedLineGql {
  @Field(() => ID)
  invoiceLineId!: string;
}

@ObjectType('CreditNote', { description: 'Credits units of one invoice; immutable like the invoice' })
export class CreditNoteGql extends IssuedDocumentGql {
  @Field(() => String, { description: 'CN-<year>-<6 digits>, gap-free' })
  number!: string;

  @Field(() => ID)
  invoiceId!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'The return it refunds' })
  returnId!: string | null;

  @Field(() => [CreditNoteLineGql])
  lines!: CreditNoteLineGql[];
}

export const InvoiceConnection = connectionType('Invoice', InvoiceGql);

@InputType('InvoiceFilter', { description: 'Every field given must match' })
export class InvoiceFilter {
  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Invoices with a line of this order' })
  orderId?: string | null;

  @Field(() => ID, { nullable: true, description: 'LOAN invoices of this loan' })
  loanId?: string | null;

  @Field(() => InvoiceStatus, { nullable: true })
  status?: InvoiceStatus | null;

  @Field(() => InvoiceKind, { nullable: true })
  kind?: InvoiceKind | null;

  @Field(() => String, { nullable: true, description: 'INV-2026-000001' })
  number?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  issuedFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive' })
  issuedTo?: Date | null;
}

@InputType('InvoiceShipmentInput')
export class InvoiceShipmentInput {
  @Field(() => [ID], { description: 'Shipped shipments of one order, none invoiced yet' })
  shipmentIds!: string[];

  @Field(() => Boolean, { nullable: true, description: 'A cash sale: the invoice is paid on issue (paidAt)' })
  cashSale?: boolean | null;

  @Field(() => Int, { nullable: true, description: "The order's version the caller saw; a stale one is a CONFLICT (left out: no check)" })
  expectedVersion?: number | null;
}

@InputType('ConsolidatedInvoiceInput')
export class ConsolidatedInvoiceInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only shipments shipped at or before this time' })
  upTo?: Date | null;

  @Field(() => String, { nullable: true, description: 'Only orders in this currency; required when the uninvoiced shipments are in several' })
  currency?: string | null;

  @Field(() => Boolean, { nullable: true })
  cashSale?: boolean | null;
}

@InputType('LoanInvoiceLineInput', { description: 'Units of one SKU of the loan, at most what is still out, with their price' })
export class LoanInvoiceLineInput implements LoanInvoiceLineRequest {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar, { description: 'Net price per unit in the invoice currency (a loan has no order line to take it from)' })
  unitPrice!: string;
}

@InputType('InvoiceLoanInput')
export class InvoiceLoanInput implements LoanInvoiceCommand {
  @Field(() => ID)
  loanId!: string;

  @Field(() => Int, { description: "The loan's version; a stale one is a CONFLICT and changes nothing" })
  expectedVersion!: number;

  @Field(() => [LoanInvoiceLineInput], { description: 'One line per SKU sold, each with its unitPrice' })
  lines!: LoanInvoiceLineInput[];

  @Field(() => String, { description: "ISO 4217; a loan lent against an order must use the order's currency" })
  currency!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Percent over every line; left out: the order's rate, else each product's, else 0" })
  taxRate?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A cash sale: the invoice is paid on issue (paidAt)' })
  cashSale?: boolean | null;
}

@InputType('CreditNoteLineInput', { description: 'Either invoiceLineId or sku (spread over the invoice lines of that SKU)' })
export class CreditNoteLineInput {
  @Field(() => ID, { nullable: true })
  invoiceLineId?: string | null;

  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => Int)
  quantity!: number;
}

@InputType('CreditNoteInput')
export class CreditNoteInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => [CreditNoteLineInput], { nullable: true, description: 'Left out: credits everything not credited yet' })
  lines?: CreditNoteLineInput[] | null;

  @Field(() => String)
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'The return this credit note refunds' })
  returnId?: string | null;
}
