import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../../auth/roles';
import type { ProductView } from '../../../catalog/product.service';
import type { StockLevelView } from '../../../inventory/stock.service';
import type { Actor, SetAsideRequest } from '../../../orders/order-actions.service';
import { FulfilmentPolicy } from '../../../orders/order.enums';
import { Order } from '../../../orders/order.entity';
import type { SalesChannelView } from '../../../orders/sales-channel.service';
import { principalOf, Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { OrderGql } from '../types/order';
import { AllocationRequestGql, SafetyStockInput, SalesChannelGql, UpdateOrderInput } from '../types/order-actions';
import { ProductGql } from '../types/product';
import { StockLevelGql } from '../types/stock';

/** Who acts, for the timeline (and, for a customer, whose order it must be). */
export const actorOf = (ctx: ApiContext): Actor => {
  const principal = principalOf(ctx);
  return principal.role === Role.CUSTOMER
    ? { name: `customer ${principal.customerId}`, customerId: principal.customerId! }
    : { name: `${principal.role} ${principal.subject}` };
};

/** The order as the mutation left it, read afresh. */
export async function reload(ctx: ApiContext, orderId: string): Promise<Order> {
  ctx.em.clear();
  return ctx.em.findOneOrFail(Order, { id: orderId });
}

/** Customer-service actions: each takes the version the agent saw, writes an event and re-plans the order. */
@Resolver(() => OrderGql)
export class OrderActionsResolver {
  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'Changes priority, flags, fulfilment policy, ship-to region or maxWarehouses, and re-plans' })
  async updateOrder(@Arg('input', () => UpdateOrderInput) input: UpdateOrderInput, @Ctx() ctx: ApiContext): Promise<Order> {
    const { orderId, expectedVersion, ...change } = input;
    await ctx.services.orderActions.change(orderId, expectedVersion, change, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: '"Ship what is there now": an ON_HOLD order ships partially (policy SHIP_PARTIAL)' })
  async releaseOrderHold(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.orderActions.releaseHold(orderId, expectedVersion, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized([...Roles.ORDER_DESK, Role.CUSTOMER])
  @Mutation(() => OrderGql, {
    description:
      'Cancels every unit not yet shipped; reserved stock goes to other backorders at once. A customer: its own order, while nothing has shipped',
  })
  async cancelOrder(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.orderActions.cancelOrder(orderId, expectedVersion, reason, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'A note on the timeline (NOTE_ADDED), at most 2000 characters' })
  async addOrderNote(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.orderActions.addNote(orderId, expectedVersion, text, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'Plans the order (and the backorders of its SKUs) again now' })
  async reallocateOrder(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    await ctx.services.orderActions.reallocate(orderId, expectedVersion, actorOf(ctx));
    return reload(ctx, orderId);
  }

  @Authorized(Roles.STAFF)
  @Query(() => [AllocationRequestGql], { description: 'Allocation requests set aside after failing 5 times, oldest first' })
  setAsideAllocationRequests(@Ctx() ctx: ApiContext): Promise<SetAsideRequest[]> {
    return ctx.services.orderActions.setAsideRequests(ctx.em);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => AllocationRequestGql, { description: 'Clears the attempts of a set-aside allocation request, so the allocator takes it again' })
  retryAllocationRequest(@Arg('allocationRequestId', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<SetAsideRequest> {
    return ctx.services.orderActions.retryAllocationRequest(id, actorOf(ctx));
  }

  @Authorized(Roles.STAFF)
  @Query(() => [SalesChannelGql], { description: 'Channels with defaults of their own' })
  salesChannels(@Ctx() ctx: ApiContext): Promise<SalesChannelView[]> {
    return ctx.services.salesChannels.list(ctx.em);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => SalesChannelGql, { description: "A channel's default fulfilment policy (null clears it); orders placed before keep theirs" })
  setChannelFulfilmentPolicy(
    @Arg('channel', () => String) channel: string,
    @Arg('fulfilmentPolicy', () => FulfilmentPolicy, { nullable: true }) fulfilmentPolicy: FulfilmentPolicy | null,
    @Ctx() ctx: ApiContext,
  ): Promise<SalesChannelView> {
    return ctx.services.salesChannels.setFulfilmentPolicy(channel, fulfilmentPolicy);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => ProductGql, { description: "A product's default fulfilment policy (null clears it); wins over the channel's" })
  setProductFulfilmentPolicy(
    @Arg('sku', () => String) sku: string,
    @Arg('fulfilmentPolicy', () => FulfilmentPolicy, { nullable: true }) fulfilmentPolicy: FulfilmentPolicy | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ProductView> {
    return ctx.services.products.setFulfilmentPolicy(sku, fulfilmentPolicy);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => StockLevelGql, { description: 'Units of a SKU a warehouse keeps back from normal orders' })
  setSafetyStock(@Arg('input', () => SafetyStockInput) input: SafetyStockInput, @Ctx() ctx: ApiContext): Promise<StockLevelView> {
    return ctx.services.stock.setSafetyStock({ sku: input.sku, warehouseCode: input.warehouseCode, quantity: input.safetyStock });
  }
}
