export enum InvoiceKind {
  /** Shipments of one order. */
  SHIPMENT = 'SHIPMENT',
  /** Every uninvoiced shipped shipment of one customer ("samleordre"). */
  CONSOLIDATED = 'CONSOLIDATED',
  /** Units of one loan the customer keeps (invoiceLoan): they leave stock as the invoice is issued. */
  LOAN = 'LOAN',
}

/** Derived, never stored: an issued invoice's row does not change. */
export enum InvoiceStatus {
  ISSUED = 'ISSUED',
  /** A cash sale: paid on issue. */
  PAID = 'PAID',
  PARTLY_CREDITED = 'PARTLY_CREDITED',
  CREDITED = 'CREDITED',
}

export enum ShipmentInvoicingStatus {
  UNINVOICED = 'UNINVOICED',
  INVOICED = 'INVOICED',
}

export enum OrderInvoicingStatus {
  NOT_INVOICED = 'NOT_INVOICED',
  PARTLY_INVOICED = 'PARTLY_INVOICED',
  /** Every unit not cancelled has shipped and is invoiced. */
  INVOICED = 'INVOICED',
}

/** Number series prefixes: INV-2026-000001, CN-2026-000001. */
export enum DocumentSeries {
  INVOICE = 'INV',
  CREDIT_NOTE = 'CN',
}
