export enum LoanStatus {
  /** Some units are still with the customer. */
  OPEN = 'OPEN',
  /** Every unit came back or was sold. */
  CLOSED = 'CLOSED',
}

export enum LoanEventType {
  LOAN_CREATED = 'LOAN_CREATED',
  LOAN_RETURNED = 'LOAN_RETURNED',
  LOAN_SOLD = 'LOAN_SOLD',
}
