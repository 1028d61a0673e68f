import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './common';
import { ShipmentStatus } from './enums';
import type { ShipCommand } from '../../../shipments/shipment.service';

@ObjectType('ShipmentLine')
export class ShipmentLineGql {
  @Field(() => ID)
  orderLineId!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType('Shipment', { description: 'One pick-pack-ship record: what one warehouse (or a drop-shipping supplier) sends for one order' })
export class ShipmentGql {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { nullable: true })
  warehouseCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Set when a supplier ships straight to the customer' })
  supplier!: string | null;

  @Field(() => ShipmentStatus)
  status!: ShipmentStatus;

  @Field(() => [ShipmentLineGql])
  lines!: ShipmentLineGql[];

  @Field(() => String, { nullable: true })
  trackingNumber!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  shippedAt!: Date | null;
}

@InputType('ShipInput')
export class ShipInput implements ShipCommand {
  @Field(() => ID)
  shipmentId!: string;

  @Field(() => String, { nullable: true })
  trackingNumber?: string | null;
}
