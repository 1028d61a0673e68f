import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { DeliveryQuery } from '../../../allocation/storefront/delivery-options';
import type { CartLine } from '../../../allocation/storefront/probe';
import { DateTimeScalar } from './common';
import { AllocationKind, FulfilmentPolicy } from './enums';

// The storefront's answers are plain values with no field-level roles or middleware: simpleResolvers lets graphql-js
// read each property itself instead of type-graphql wrapping every field (measured on deliveryOptions, one cart
// answer holds a hundred fields or more).
@ObjectType('SkuQuantity', { simpleResolvers: true })
export class SkuQuantityGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType('DeliveryParcel', {
  simpleResolvers: true,
  description: 'Units that travel together: from one warehouse or supplier, covered one way, on one date',
})
export class DeliveryParcelGql {
  @Field(() => AllocationKind, { description: 'How the units are covered: PULL, TRANSFER, WAIT or DROP_SHIP' })
  kind!: AllocationKind;

  @Field(() => String, { nullable: true, description: 'The warehouse that ships it; null when a supplier does' })
  warehouseCode!: string | null;

  @Field(() => String, { nullable: true, description: 'TRANSFER: where the units leave from' })
  sourceWarehouseCode!: string | null;

  @Field(() => String, { nullable: true, description: 'DROP_SHIP: the supplier that ships; WAIT on the lead time: the supplier restocking it' })
  supplier!: string | null;

  @Field(() => String, { nullable: true, description: 'WAIT on a purchase order: its number (PO-12)' })
  purchaseOrderNumber!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the units reach the customer (SHIP_COMPLETE: the one date of the whole order)' })
  eta!: Date;

  @Field(() => Boolean, { description: 'Reserved from stock and shipped as soon as it is picked' })
  shipsNow!: boolean;

  @Field(() => Int)
  quantity!: number;

  @Field(() => [SkuQuantityGql])
  lines!: SkuQuantityGql[];

  @Field(() => String, { description: 'A sentence a person can read: "3 wait for PO-12, expected 2026-12-10 at EAST"' })
  reason!: string;

  @Field(() => Boolean, { description: 'SPLIT_ORDER: these units move to the second order' })
  inSplitOrder!: boolean;
}

@ObjectType('Delivery', { simpleResolvers: true, description: 'Units that arrive on one day, whatever parcels they travel in' })
export class DeliveryGql {
  @Field(() => DateTimeScalar)
  eta!: Date;

  @Field(() => Int)
  quantity!: number;

  @Field(() => [SkuQuantityGql])
  lines!: SkuQuantityGql[];
}

@ObjectType('UndeliverableLine', {
  simpleResolvers: true,
  description: 'A cart line whose product may not be backordered and that stock does not cover',
})
export class UndeliverableLineGql {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Units stock can deliver: the most this line may be ordered for' })
  available!: number;

  @Field(() => String)
  reason!: string;
}

@ObjectType('DeliveryOption', {
  simpleResolvers: true,
  description: 'What placing the cart now with this fulfilment policy would give, as the allocator would plan it',
})
export class DeliveryOptionGql {
  @Field(() => FulfilmentPolicy)
  fulfilmentPolicy!: FulfilmentPolicy;

  @Field(() => Boolean, { description: 'False when a line may not be backordered beyond stock: placing the cart as it is is refused' })
  deliverable!: boolean;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the first units arrive; null when not deliverable' })
  firstEta!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last units arrive; null when not deliverable' })
  eta!: Date | null;

  @Field(() => [DeliveryGql], { description: 'What arrives on which day, soonest first' })
  deliveries!: DeliveryGql[];

  @Field(() => [DeliveryParcelGql], { description: 'Every parcel, soonest first' })
  parcels!: DeliveryParcelGql[];

  @Field(() => [UndeliverableLineGql])
  notDeliverable!: UndeliverableLineGql[];

  @Field(() => String, { description: '"7 by 2026-11-26, 3 by 2026-12-12" or "all 10 by 2026-12-12"' })
  summary!: string;
}

@InputType('CartLineInput')
export class CartLineInput implements CartLine {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType('DeliveryOptionsInput')
export class DeliveryOptionsInput implements DeliveryQuery {
  @Field(() => String, { description: 'The region to ship to; one no warehouse ships to is BAD_USER_INPUT' })
  region!: string;

  @Field(() => [CartLineInput])
  lines!: CartLineInput[];

  @Field(() => Int, { nullable: true, description: 'The most parcels the order may ship in; default from allocationSettings' })
  maxWarehouses?: number | null;
}
