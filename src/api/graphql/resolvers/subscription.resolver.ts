import { filter, pipe } from '@graphql-yoga/subscription';
import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { requireOrderAccess, Role } from '../../../auth/roles';
import { OrderEventMessage, StockChangedMessage, topics } from '../../../events/topics';
import type { StockLevelView } from '../../../inventory/stock.service';
import { forbidden, notFound } from '../../../shared/errors';
import { principalOf, Roles } from '../../auth';
import { ApiContext, renewRequestScope } from '../../context';
import { OrderEventView, orderEventViewFromMessage } from '../mappers';
import { OrderEventFilter, OrderEventGql } from '../types/order';
import { StockLevelGql } from '../types/stock';
import { isUuid } from '../../../shared/input-checks';

type SubscribeData<TArgs> = SubscribeResolverData<unknown, TArgs, ApiContext>;

/** Customers may follow their own orders only; other roles that read orders follow any. */
async function assertMayFollowOrder(ctx: ApiContext, orderId: string): Promise<void> {
  const principal = principalOf(ctx);
  const rows = isUuid(orderId)
    ? await ctx.em.execute<Array<{ customer_id: string }>>('select customer_id from sales_order where id = ?', [orderId])
    : [];
  if (rows.length === 0) throw notFound(`No order with id ${orderId}`);
  requireOrderAccess(principal, rows[0].customer_id);
}

interface EffectiveEventFilter {
  orderId?: string | null;
  customerId?: string | null;
  types?: string[] | null;
  statuses?: string[] | null;
}

/** A customer's filter is pinned to their own customer id; asking for another customer's events is refused. */
function effectiveEventFilter(ctx: ApiContext, requested: OrderEventFilter | null | undefined): EffectiveEventFilter {
  const principal = principalOf(ctx);
  const wanted = { ...(requested ?? {}) };
  if (principal.role === Role.CUSTOMER) {
    if (wanted.customerId && wanted.customerId !== principal.customerId) throw forbidden('You may follow your own orders only');
    wanted.customerId = principal.customerId;
  }
  return wanted;
}

export const matchesEventFilter = (message: OrderEventMessage, wanted: EffectiveEventFilter): boolean =>
  (!wanted.orderId || message.orderId === wanted.orderId) &&
  (!wanted.customerId || message.customerId === wanted.customerId) &&
  (!wanted.types?.length || wanted.types.includes(message.type)) &&
  (!wanted.statuses?.length || wanted.statuses.includes(message.status));

/**
 * Subscriptions read Redis channels that the worker's outbox relay publishes to (src/events/topics.ts). Each
 * event renews the subscription's em and loaders, so fields read under it show the rows as they are now.
 */
@Resolver()
export class SubscriptionResolver {
  @Authorized()
  @Subscription(() => OrderEventGql, {
    description: "One order's events. Customers may follow their own orders only.",
    subscribe: async ({ args, context }: SubscribeData<{ orderId: string }>) => {
      await assertMayFollowOrder(context, args.orderId);
      return context.pubsub.subscribe(`${topics(context.services.config.redisPrefix).orderUpdated}:${args.orderId}`);
    },
  })
  orderUpdated(@Arg('orderId', () => ID) _orderId: string, @Root() message: OrderEventMessage, @Ctx() ctx: ApiContext): OrderEventView {
    renewRequestScope(ctx);
    return orderEventViewFromMessage(message);
  }

  @Authorized([Role.ADMIN, Role.OPS, Role.SERVICE, Role.CUSTOMER])
  @Subscription(() => OrderEventGql, {
    description: 'Every order event (consoles), or those matching the filter. Customers receive their own orders only.',
    subscribe: ({ args, context }: SubscribeData<{ filter?: OrderEventFilter | null }>) => {
      const wanted = effectiveEventFilter(context, args.filter);
      return pipe(
        context.pubsub.subscribe(topics(context.services.config.redisPrefix).orderEvents),
        filter((message: OrderEventMessage) => matchesEventFilter(message, wanted)),
      );
    },
  })
  orderEvents(
    @Arg('filter', () => OrderEventFilter, { nullable: true }) _filter: OrderEventFilter | null,
    @Root() message: OrderEventMessage,
    @Ctx() ctx: ApiContext,
  ): OrderEventView {
    renewRequestScope(ctx);
    return orderEventViewFromMessage(message);
  }

  @Authorized(Roles.CATALOGUE)
  @Subscription(() => StockLevelGql, {
    description: "The SKU's stock level in one warehouse, read afresh each time it changes",
    subscribe: ({ args, context }: SubscribeData<{ sku: string }>) =>
      context.pubsub.subscribe(`${topics(context.services.config.redisPrefix).stockChanged}:${args.sku}`),
  })
  async stockChanged(@Arg('sku', () => String) _sku: string, @Root() message: StockChangedMessage, @Ctx() ctx: ApiContext): Promise<StockLevelView> {
    const level = await ctx.services.stock.stockLevel(message.sku, message.warehouseCode);
    if (!level) throw notFound(`No stock level for ${message.sku} at ${message.warehouseCode}`);
    return level;
  }
}
