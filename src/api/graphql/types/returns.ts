import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ReturnCondition, ReturnStatus } from '../../../returns/return.enums';
import { DateTimeScalar } from './common';
import { OrderGql } from './order';
import type { AuthoriseReturnCommand, CreateExchangeCommand, ReceiveReturnCommand } from '../../../returns/return.service';
import type { ReceiptLineInput as ReturnReceiptLine, SkuQuantity } from '../../../returns/return-quantities';

registerEnumType(ReturnStatus, { name: 'ReturnStatus' });
registerEnumType(ReturnCondition, {
  name: 'ReturnCondition',
  valuesConfig: {
    SELLABLE: { description: 'Back on hand in the warehouse named; waiting backorders are served from it at once' },
    DAMAGED: { description: 'Written off: recorded with its reason, never on hand' },
  },
});

@InputType('ReturnLineInput')
export class ReturnLineInput implements SkuQuantity {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType('AuthoriseReturnInput')
export class AuthoriseReturnInput implements AuthoriseReturnCommand {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { description: "The order's version the agent saw; a stale one is a CONFLICT and changes nothing" })
  expectedVersion!: number;

  @Field(() => [ReturnLineInput], { description: 'Each SKU at most shipped − already authorised for return' })
  lines!: ReturnLineInput[];

  @Field(() => String)
  reason!: string;
}

@InputType('ReturnReceiptLineInput')
export class ReturnReceiptLineInput implements ReturnReceiptLine {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => ReturnCondition)
  condition!: ReturnCondition;

  @Field(() => String, { description: 'Where the units were received (SELLABLE: where they go back on hand)' })
  warehouseCode!: string;
}

@InputType('ReceiveReturnInput')
export class ReceiveReturnInput implements ReceiveReturnCommand {
  @Field(() => ID)
  returnId!: string;

  @Field(() => Int, { description: "The return's version; a stale one is a CONFLICT and changes nothing" })
  expectedVersion!: number;

  @Field(() => [ReturnReceiptLineInput], { description: 'May be partial; more than authorised is refused' })
  lines!: ReturnReceiptLineInput[];
}

@InputType('CreateExchangeInput')
export class CreateExchangeInput implements CreateExchangeCommand {
  @Field(() => ID)
  returnId!: string;

  @Field(() => Int, { description: "The return's version" })
  expectedVersion!: number;

  @Field(() => [ReturnLineInput], {
    nullable: true,
    description: 'Units to replace (SKUs of the return); left out, every unit neither replaced nor refunded',
  })
  lines?: ReturnLineInput[] | null;
}

@ObjectType('ReturnLine', { description: 'One SKU of a return: each unit is refunded or replaced, never both' })
export class ReturnLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int, { description: 'Units authorised for return' })
  quantity!: number;

  @Field(() => Int)
  receivedSellableQuantity!: number;

  @Field(() => Int)
  receivedDamagedQuantity!: number;

  @Field(() => Int, { description: 'Units a replacement order was created for' })
  exchangedQuantity!: number;

  @Field(() => Int, { description: 'Units credited by a credit note' })
  refundedQuantity!: number;

  @Field(() => Int, { description: 'Received units neither replaced nor refunded yet: what a credit note may still refund' })
  refundableQuantity!: number;
}

@ObjectType('ReturnReceiptLine')
export class ReturnReceiptLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => ReturnCondition)
  condition!: ReturnCondition;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => String, { description: 'What happened to the units: back on hand, or written off and why' })
  note!: string;
}

@ObjectType('ReturnReceipt')
export class ReturnReceiptGql {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;

  @Field(() => [ReturnReceiptLineGql])
  lines!: ReturnReceiptLineGql[];
}

@ObjectType('ReturnAuthorisation', { description: 'A return authorisation (RMA) for shipped units of one order' })
export class ReturnAuthorisationGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'RMA-12' })
  number!: string;

  @Field(() => ReturnStatus)
  status!: ReturnStatus;

  @Field(() => String)
  reason!: string;

  @Field(() => Int, { description: 'Goes up on every change; pass it as expectedVersion' })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => OrderGql)
  order!: OrderGql;

  @Field(() => [ReturnLineGql])
  lines!: ReturnLineGql[];

  @Field(() => [ReturnReceiptGql])
  receipts!: ReturnReceiptGql[];

  @Field(() => [OrderGql], { description: 'Replacement orders (flagged REPLACEMENT) created for units of this return' })
  exchanges!: OrderGql[];
}
