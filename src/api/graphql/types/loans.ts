import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LoanEventType, LoanStatus } from '../../../loans/loan.enums';
import { connectionType, DateTimeScalar } from './common';
import { ReturnLineInput } from './returns';

registerEnumType(LoanStatus, { name: 'LoanStatus' });
registerEnumType(LoanEventType, { name: 'LoanEventType' });

@InputType('LendStockInput')
export class LendStockInput {
  @Field(() => String)
  customerId!: string;

  @Field(() => String, { description: 'The warehouse the goods leave; only available units can be lent' })
  warehouseCode!: string;

  @Field(() => [ReturnLineInput])
  lines!: ReturnLineInput[];

  @Field(() => String)
  reason!: string;

  @Field(() => ID, { nullable: true, description: "An order of the same customer the goods are lent against: the loan's events go on its timeline" })
  orderId?: string | null;
}

@InputType('ReturnLoanInput')
export class ReturnLoanInput {
  @Field(() => ID)
  loanId!: string;

  @Field(() => Int, { description: "The loan's version; a stale one is a CONFLICT and changes nothing" })
  expectedVersion!: number;

  @Field(() => [ReturnLineInput], { nullable: true, description: 'Left out: every unit still out' })
  lines?: ReturnLineInput[] | null;
}

@InputType('LoanFilter')
export class LoanFilter {
  @Field(() => String, { nullable: true })
  customerId?: string | null;

  @Field(() => LoanStatus, { nullable: true })
  status?: LoanStatus | null;
}

@ObjectType('LoanLine')
export class LoanLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int, { description: 'Units lent' })
  quantity!: number;

  @Field(() => Int)
  returnedQuantity!: number;

  @Field(() => Int)
  soldQuantity!: number;

  @Field(() => Int, { description: 'Still with the customer: quantity − returned − sold' })
  outstandingQuantity!: number;
}

@ObjectType('LoanEvent')
export class LoanEventGql {
  @Field(() => LoanEventType)
  type!: LoanEventType;

  @Field(() => String)
  message!: string;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@ObjectType('Loan', { description: 'Goods lent to a customer: owned, not available, until returned or sold' })
export class LoanGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'LN-3' })
  number!: string;

  @Field(() => String)
  customerId!: string;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => LoanStatus)
  status!: LoanStatus;

  @Field(() => String)
  reason!: string;

  @Field(() => Int, { description: 'Goes up on every change; pass it as expectedVersion' })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => [LoanLineGql])
  lines!: LoanLineGql[];

  @Field(() => [LoanEventGql], { description: "The loan's timeline" })
  events!: LoanEventGql[];
}

export const LoanConnection = connectionType('Loan', LoanGql);
