import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType, DateTimeScalar } from './common';
import { TransferStatus } from './enums';
import { ReceiptLineInput } from './purchase-order';
import type { TransferFilter as TransferFilterArgs, TransferReceiptCommand } from '../../../transfers/transfer.service';

@ObjectType('TransferLine')
export class TransferLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int)
  receivedQuantity!: number;
}

@ObjectType('Transfer', { description: 'Stock moving from one warehouse to another' })
export class TransferGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'TR-<number>' })
  number!: string;

  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Field(() => String)
  fromWarehouseCode!: string;

  @Field(() => String)
  toWarehouseCode!: string;

  @Field(() => DateTimeScalar)
  expectedAt!: Date;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  dispatchedAt!: Date | null;

  @Field(() => [TransferLineGql])
  lines!: TransferLineGql[];
}

export const TransferConnection = connectionType('Transfer', TransferGql);

@InputType('TransferFilter')
export class TransferFilter implements TransferFilterArgs {
  @Field(() => TransferStatus, { nullable: true })
  status?: TransferStatus | null;

  @Field(() => String, { nullable: true })
  fromWarehouseCode?: string | null;

  @Field(() => String, { nullable: true })
  toWarehouseCode?: string | null;

  @Field(() => String, { nullable: true })
  sku?: string | null;
}

@InputType('TransferReceiptInput')
export class TransferReceiptInput implements TransferReceiptCommand {
  @Field(() => ID)
  transferId!: string;

  @Field(() => [ReceiptLineInput])
  lines!: ReceiptLineInput[];
}
