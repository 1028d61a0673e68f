import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './common';

@ObjectType('WarehouseAvailability')
export class WarehouseAvailabilityGql {
  @Field(() => String)
  warehouseCode!: string;

  @Field(() => Int, { description: 'Units a new order can take there now' })
  available!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When units from this warehouse could reach the region' })
  eta!: Date | null;
}

@ObjectType('Availability', {
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

  @Field(() => DateTimeScalar, { nullable: true, description: 'Null when no known supply covers the quantity' })
  eta!: Date | null;

  @Field(() => [WarehouseAvailabilityGql])
  perWarehouse!: WarehouseAvailabilityGql[];
}
