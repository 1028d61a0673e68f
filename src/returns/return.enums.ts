export enum ReturnStatus {
  /** Authorised, nothing received yet. */
  AUTHORISED = 'AUTHORISED',
  PARTIALLY_RECEIVED = 'PARTIALLY_RECEIVED',
  /** Every authorised unit received. */
  RECEIVED = 'RECEIVED',
}

export enum ReturnCondition {
  /** Back on hand in the chosen warehouse, and offered to waiting backorders at once. */
  SELLABLE = 'SELLABLE',
  /** Written off: recorded with its reason, never on hand. */
  DAMAGED = 'DAMAGED',
}
