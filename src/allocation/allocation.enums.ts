export enum AllocationKind {
  /** Reserved from stock in the warehouse that ships it. */
  PULL = 'PULL',
  /** Reserved in another warehouse and moved by transfer to the one that ships it. */
  TRANSFER = 'TRANSFER',
  /** Waiting for inbound supply: a purchase order, or the product's lead time when none is open. */
  WAIT = 'WAIT',
  /** A purchase order to the supplier, delivered straight to the customer. */
  DROP_SHIP = 'DROP_SHIP',
}

export enum AllocationStatus {
  ACTIVE = 'ACTIVE',
  SHIPPED = 'SHIPPED',
  RELEASED = 'RELEASED',
}
