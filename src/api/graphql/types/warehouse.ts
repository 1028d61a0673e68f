import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { ShippingLaneView, TransferLaneView, WarehouseInput as WarehouseCommand } from '../../../warehouses/warehouse.service';

@ObjectType('ShippingLane', { description: 'How many days and at what cost a parcel from the warehouse reaches a region' })
export class ShippingLaneGql {
  @Field(() => String)
  region!: string;

  @Field(() => Int)
  days!: number;

  @Field(() => Float)
  cost!: number;
}

@ObjectType('TransferLane', { description: 'How many days and at what cost stock moves to another warehouse' })
export class TransferLaneGql {
  @Field(() => String)
  toWarehouseCode!: string;

  @Field(() => Int)
  days!: number;

  @Field(() => Float)
  cost!: number;
}

@ObjectType('Warehouse')
export class WarehouseGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The region the warehouse stands in' })
  region!: string;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => [ShippingLaneGql])
  shippingLanes!: ShippingLaneGql[];

  @Field(() => [TransferLaneGql])
  transferLanes!: TransferLaneGql[];
}

@InputType('ShippingLaneInput')
export class ShippingLaneInput implements ShippingLaneView {
  @Field(() => String)
  region!: string;

  @Field(() => Int, { description: 'Whole days, 0 or more' })
  days!: number;

  @Field(() => Float, { defaultValue: 0 })
  cost!: number;
}

@InputType('TransferLaneInput')
export class TransferLaneInput implements TransferLaneView {
  @Field(() => String, { description: 'An existing warehouse' })
  toWarehouseCode!: string;

  @Field(() => Int, { description: 'Whole days, 0 or more' })
  days!: number;

  @Field(() => Float, { defaultValue: 0 })
  cost!: number;
}

@InputType('WarehouseInput', { description: 'Creates or updates the warehouse with this code' })
export class WarehouseInput implements WarehouseCommand {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  region!: string;

  @Field(() => Boolean, { nullable: true, description: 'Left out: true for a new warehouse, unchanged otherwise' })
  active?: boolean | null;

  @Field(() => [ShippingLaneInput], { nullable: true, description: "Replaces the warehouse's shipping lanes; left out: unchanged" })
  shippingLanes?: ShippingLaneInput[] | null;

  @Field(() => [TransferLaneInput], { nullable: true, description: "Replaces the warehouse's transfer lanes; left out: unchanged" })
  transferLanes?: TransferLaneInput[] | null;
}
