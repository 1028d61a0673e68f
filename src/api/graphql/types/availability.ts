import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './common';
import { DeliveryParcelGql } from './delivery-options';

@ObjectType('WarehouseAvailability', { simpleResolvers: true })
export class WarehouseAvailabilityGql {
  @Field(() => String)
  warehouseCode!: string;

  @Field(() => Int, { description: 'Units a new order can take there now' })
  available!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When units from this warehouse could reach the region' })
  eta!: Date | null;
}

@ObjectType('Availability', {
  simpleResolvers: true,
  description: 'When `quantity` units could reach `region`, counting stock, transfers and inbound purchase orders net of earlier promises',
})
export class AvailabilityGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field(() => Int, { description: 'Units available now, over all active warehouses' })
  availableNow!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the last of the units arrives; null when they cannot be promised (the product may not be backordered)',
  })
  eta!: Date | null;

  @Field(() => Boolean, { description: 'False when the product may not be backordered and stock does not cover the quantity' })
  deliverable!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the quantity cannot be delivered, with what stock can deliver' })
  notDeliverableReason!: string | null;

  @Field(() => [DeliveryParcelGql], {
    description: 'Every tranche of the quantity, soonest first: from stock now, on each purchase order’s date, drop-shipped, on the lead time',
  })
  tranches!: DeliveryParcelGql[];

  @Field(() => [WarehouseAvailabilityGql])
  perWarehouse!: WarehouseAvailabilityGql[];
}

@InputType('AvailabilityItemInput')
export class AvailabilityItemInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Int, { defaultValue: 1 })
  quantity!: number;
}
