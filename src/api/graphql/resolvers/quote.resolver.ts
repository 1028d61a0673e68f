import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DeliveryOption } from '../../../allocation/availability';
import { actionsFrom, OrderAction, ORDER_STAGE, ORDER_TRANSITIONS, OrderTransition } from '../../../orders/order-lifecycle';
import { Order } from '../../../orders/order.entity';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { OrderAction as OrderActionGql } from '../types/enums';
import { actorOf, reload } from './order-actions.resolver';
import { DeliveryOptionGql } from '../types/delivery-options';
import { OrderGql } from '../types/order';
import { CreateQuoteInput, OrderTransitionGql, QuoteGql, QuoteView } from '../types/quote';

/**
 * Quotes: orders that reserve nothing until confirmed. The seller acts on them (customer service, admin); a customer
 * reads its own quotes through `order` and may decline one with `cancelOrder`, but does not confirm it (seed 003: the
 * seller confirms a quote into an order and sends the confirmation).
 */
@Resolver(() => OrderGql)
export class QuoteResolver {
  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, {
    description: 'An order as a quote (status QUOTE): nothing reserved, nothing allocated; idempotent on idempotencyKey like placeOrder',
  })
  async createQuote(@Arg('input', () => CreateQuoteInput) input: CreateQuoteInput, @Ctx() ctx: ApiContext): Promise<Order> {
    const { orderId } = await ctx.services.quotes.create(input, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'Records that the quote went to the customer (QUOTE_SENT); sending again is allowed while it is valid' })
  async sendQuote(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.quotes.send(orderId, expectedVersion, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, {
    description:
      'Turns a valid quote into an order, allocated as a placed order is (PENDING, then allocated). Idempotent: a confirmed quote answers with its order',
  })
  async confirmQuote(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.quotes.confirm(orderId, expectedVersion, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'Withdraws a quote before its validUntil (QUOTE_EXPIRED)' })
  async expireQuote(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.quotes.expire(orderId, expectedVersion, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized()
  @Query(() => [OrderTransitionGql], { description: 'The status model: every legal transition, what it does to stock and who may make it' })
  orderTransitions(): OrderTransition[] {
    return [...ORDER_TRANSITIONS];
  }

  @FieldResolver(() => QuoteGql, { nullable: true, description: 'Set when the order began as a quote' })
  async quote(@Root() order: Order, @Ctx() ctx: ApiContext): Promise<QuoteView | null> {
    const quote = await ctx.loaders.quoteByOrderId.load(order.id);
    return quote
      ? {
          order,
          validUntil: quote.validUntil,
          createdAt: quote.createdAt,
          sentAt: quote.sentAt ?? null,
          confirmedAt: quote.confirmedAt ?? null,
          expiredAt: quote.expiredAt ?? null,
        }
      : null;
  }

  @FieldResolver(() => [OrderActionGql], { description: 'What the status model allows from the current status (roles and versions still apply)' })
  allowedActions(@Root() order: Order): OrderAction[] {
    return actionsFrom(order.status);
  }
}

@Resolver(() => QuoteGql)
export class QuoteFieldsResolver {
  @FieldResolver(() => Boolean)
  lapsed(@Root() quote: QuoteView): boolean {
    return ORDER_STAGE[quote.order.status] === 'quote' && quote.validUntil.getTime() <= Date.now();
  }

  @FieldResolver(() => [DeliveryOptionGql])
  async deliveryOptions(@Root() quote: QuoteView, @Ctx() ctx: ApiContext): Promise<DeliveryOption[]> {
    if (ORDER_STAGE[quote.order.status] !== 'quote') return [];
    const lines = await ctx.loaders.linesByOrderId.load(quote.order.id);
    return ctx.services.availability.deliveryOptions(
      { region: quote.order.shipToRegion, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), maxWarehouses: quote.order.maxWarehouses },
      new Date(),
      ctx.em,
    );
  }
}
