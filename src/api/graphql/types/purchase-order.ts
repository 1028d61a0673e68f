import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType, DateTimeScalar } from './common';
import { PurchaseOrderStatus } from './enums';
import type {
  CreatePurchaseOrderCommand,
  PurchaseOrderFilter as PurchaseOrderFilterArgs,
  ReceiptCommand,
  UpdatePurchaseOrderCommand,
} from '../../../purchasing/purchase-order.service';

type CreatePurchaseOrderLine = CreatePurchaseOrderCommand['lines'][number];
type ReceiptLine = ReceiptCommand['lines'][number];

@ObjectType('PurchaseOrderLine')
export class PurchaseOrderLineGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int)
  receivedQuantity!: number;

  @Field(() => Int, { description: 'Units already promised to waiting or drop-ship order lines' })
  promisedQuantity!: number;
}

@ObjectType('GoodsReceiptLine')
export class GoodsReceiptLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType('GoodsReceipt', { description: 'One goods receipt of a purchase order, and the waiting orders it served' })
export class GoodsReceiptGql {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When it was received' })
  at!: Date;

  @Field(() => String, { nullable: true, description: 'The receiving warehouse; null for a drop-ship delivery' })
  warehouseCode!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When allocation settled it; null while the worker has not yet planned it' })
  servedAt!: Date | null;

  @Field(() => [GoodsReceiptLineGql])
  lines!: GoodsReceiptLineGql[];
}

@ObjectType('PurchaseOrder')
export class PurchaseOrderGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'PO-<number>' })
  number!: string;

  @Field(() => PurchaseOrderStatus)
  status!: PurchaseOrderStatus;

  @Field(() => String)
  supplier!: string;

  @Field(() => String, { nullable: true, description: 'The receiving warehouse; null when the supplier delivers to a customer' })
  warehouseCode!: string | null;

  @Field(() => DateTimeScalar)
  expectedAt!: Date;

  @Field(() => Boolean, { description: 'Raised by a reorder signal (DRAFT until a buyer opens it)' })
  suggested!: boolean;

  @Field(() => ID, { nullable: true, description: 'Set when the supplier delivers straight to this order’s customer' })
  dropShipOrderId!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => [PurchaseOrderLineGql])
  lines!: PurchaseOrderLineGql[];

  @Field(() => [GoodsReceiptGql], { description: 'Its goods receipts, oldest first' })
  receipts!: GoodsReceiptGql[];
}

export const PurchaseOrderConnection = connectionType('PurchaseOrder', PurchaseOrderGql);

@InputType('PurchaseOrderLineInput')
export class PurchaseOrderLineInput implements CreatePurchaseOrderLine {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType('PurchaseOrderInput')
export class PurchaseOrderInput implements CreatePurchaseOrderCommand {
  @Field(() => String)
  supplier!: string;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => DateTimeScalar)
  expectedAt!: Date;

  @Field(() => [PurchaseOrderLineInput])
  lines!: PurchaseOrderLineInput[];
}

@InputType('ReceiptLineInput')
export class ReceiptLineInput implements ReceiptLine {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType('ReceiptInput', { description: 'A goods receipt; may be partial' })
export class ReceiptInput implements ReceiptCommand {
  @Field(() => ID)
  purchaseOrderId!: string;

  @Field(() => [ReceiptLineInput])
  lines!: ReceiptLineInput[];
}

@InputType('UpdatePurchaseOrderInput')
export class UpdatePurchaseOrderInput implements UpdatePurchaseOrderCommand {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Every line waiting on this order moves its ETA' })
  expectedAt?: Date | null;

  @Field(() => PurchaseOrderStatus, {
    nullable: true,
    description: 'OPEN confirms a DRAFT suggestion (backorders then wait on it); CANCELLED withdraws a DRAFT or OPEN order with nothing received',
  })
  status?: PurchaseOrderStatus | null;
}

@InputType('PurchaseOrderFilter')
export class PurchaseOrderFilter implements PurchaseOrderFilterArgs {
  @Field(() => PurchaseOrderStatus, { nullable: true })
  status?: PurchaseOrderStatus | null;

  @Field(() => String, { nullable: true })
  supplier?: string | null;

  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => Boolean, { nullable: true })
  suggested?: boolean | null;
}
