import { Field, InputType, ObjectType } from 'type-graphql';
import type { Order } from '../../../orders/order.entity';
import { DateTimeScalar } from './common';
import { DeliveryOptionGql } from './delivery-options';
import { OrderAction, OrderStatus } from './enums';
import { PlaceOrderInput } from './order';
import type { CreateQuoteCommand } from '../../../quotes/quote.service';

@InputType('CreateQuoteInput', { description: 'A placeOrder input, plus how long the offer stands' })
export class CreateQuoteInput extends PlaceOrderInput implements CreateQuoteCommand {
  @Field(() => DateTimeScalar, { description: 'In the future, at most 366 days ahead; after it the quote cannot be sent or confirmed and expires' })
  validUntil!: Date;
}

/** The quote row of an order, with the order it belongs to (for its status, lines and region). */
export interface QuoteView {
  order: Order;
  validUntil: Date;
  createdAt: Date;
  sentAt: Date | null;
  confirmedAt: Date | null;
  expiredAt: Date | null;
}

@ObjectType('Quote', { description: 'How the order began as a quote: an offer that reserved nothing until confirmed' })
export class QuoteGql {
  @Field(() => DateTimeScalar)
  validUntil!: Date;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last sent' })
  sentAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it became an order (status PENDING, then allocated)' })
  confirmedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  expiredAt!: Date | null;

  @Field(() => Boolean, {
    description: 'Still a quote and past validUntil: it can no longer be sent or confirmed (the worker marks it QUOTE_EXPIRED)',
  })
  lapsed!: boolean;

  @Field(() => [DeliveryOptionGql], {
    description:
      'While it is a quote: what placing it now would give, one option per fulfilment policy (as deliveryOptions); empty once confirmed or closed',
  })
  deliveryOptions!: DeliveryOptionGql[];
}

@ObjectType('OrderTransition', { description: 'One row of the status model: from a status, an action leads to a status' })
export class OrderTransitionGql {
  @Field(() => OrderStatus, { nullable: true, description: 'Null: the action creates the order' })
  from!: OrderStatus | null;

  @Field(() => OrderAction)
  action!: OrderAction;

  @Field(() => [OrderStatus], { description: 'The status after it; several when the lines decide' })
  to!: OrderStatus[];

  @Field(() => String, { description: 'none, reserve, take out of stock, put back' })
  stock!: string;

  @Field(() => [String], { description: 'Roles that may act; "worker" when the worker does it on its own' })
  roles!: string[];
}
