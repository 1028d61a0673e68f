import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './common';
import { FulfilmentPolicy, OrderFlag, OrderPriority } from './enums';
import type { UpdateOrderCommand } from '../../../orders/order-actions.service';

@InputType('UpdateOrderInput', { description: 'Customer service changes an order; fields left out keep their value. Re-plans the order.' })
export class UpdateOrderInput implements UpdateOrderCommand {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { description: 'The version the agent saw; a stale one is a CONFLICT and changes nothing' })
  expectedVersion!: number;

  @Field(() => OrderPriority, { nullable: true })
  priority?: OrderPriority | null;

  @Field(() => [OrderFlag], { nullable: true, description: 'The complete new set of flags' })
  flags?: OrderFlag[] | null;

  @Field(() => FulfilmentPolicy, { nullable: true })
  fulfilmentPolicy?: FulfilmentPolicy | null;

  @Field(() => String, { nullable: true, description: 'Must be a region an active warehouse ships to; releases unshipped reservations and re-plans' })
  shipToRegion?: string | null;

  @Field(() => Int, { nullable: true, description: 'Releases unshipped reservations and re-plans under the new limit' })
  maxWarehouses?: number | null;
}

@ObjectType('AllocationRequest', { description: 'Work the allocator owes: an order to allocate, or a SKU to plan again' })
export class AllocationRequestGql {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => String, { nullable: true })
  sku!: string | null;

  @Field(() => String)
  cause!: string;

  @Field(() => Int, { description: 'Failed batches; at 5 the request is set aside until retryAllocationRequest' })
  attempts!: number;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType('SalesChannel', { description: 'Defaults for the orders of one channel' })
export class SalesChannelGql {
  @Field(() => String)
  channel!: string;

  @Field(() => FulfilmentPolicy, { nullable: true, description: 'Used when neither the order nor its products choose one' })
  fulfilmentPolicy!: FulfilmentPolicy | null;
}

@InputType('SafetyStockInput')
export class SafetyStockInput {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => Int, { description: 'Units kept back from normal orders: never allocated, not counted as available' })
  safetyStock!: number;
}
