import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../../auth/roles';
import { requireOrderAccess } from '../../../auth/roles';
import { Order } from '../../../orders/order.entity';
import type { OrderRecord } from '../../../orders/order-record';
import type { BackorderSkuTotal, BackorderView } from '../../../orders/backorder-list';
import { forbidden, notFound } from '../../../shared/errors';
import type { Page } from '../../../shared/pagination';
import { principalOf, Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { BackorderConnection, BackorderFilter, BackorderSkuTotalGql, OrderConnection, OrderFilter, OrderGql, PlaceOrderInput } from '../types/order';

@Resolver(() => OrderGql)
export class OrderResolver {
  @Authorized()
  @Query(() => OrderGql, { nullable: true, description: 'One order; customers see only their own' })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Order | null> {
    const order = await ctx.services.orders.get(ctx.em, id);
    if (!order) return null;
    requireOrderAccess(principalOf(ctx), order.customer.id);
    return order;
  }

  @Authorized()
  @Query(() => OrderConnection, { description: 'Orders, newest first; a customer token lists its own orders only' })
  orders(
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Order>> {
    const principal = principalOf(ctx);
    const scoped = { ...(filter ?? {}) };
    if (principal.role === Role.CUSTOMER) {
      if (scoped.customerId && scoped.customerId !== principal.customerId) throw forbidden('Customers may list their own orders only');
      scoped.customerId = principal.customerId;
    }
    return ctx.services.orders.list(ctx.em, scoped, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.STAFF)
  @Query(() => BackorderConnection, { description: 'Open backorder lines in the order they will be served: priority, then age' })
  backorders(
    @Arg('filter', () => BackorderFilter, { nullable: true }) filter: BackorderFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<BackorderView>> {
    return ctx.services.orders.backorders(ctx.em, filter ?? {}, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.STAFF)
  @Query(() => [BackorderSkuTotalGql], {
    description: 'Open backorders per SKU (units owed, oldest, covered, uncovered), by SKU; the same filter as backorders',
  })
  backorderTotals(
    @Arg('filter', () => BackorderFilter, { nullable: true }) filter: BackorderFilter | null,
    @Ctx() ctx: ApiContext,
  ): Promise<BackorderSkuTotal[]> {
    return ctx.services.orders.backorderTotals(ctx.em, filter ?? {});
  }

  @Authorized(Roles.ORDER_PLACING)
  @Mutation(() => OrderGql, { description: 'Places an order; idempotent on idempotencyKey. Allocation follows at once, asynchronously.' })
  async placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: ApiContext): Promise<OrderRecord> {
    const placed = await ctx.services.orders.place(input);
    return ctx.services.orders.placedOrder(ctx.em, placed);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, { description: 'Cancels units of a SKU on an order (all that can be cancelled when quantity is left out)' })
  async cancelOrderLine(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('sku', () => String) sku: string,
    @Arg('quantity', () => Int, { nullable: true }) quantity: number | null,
    @Arg('expectedVersion', () => Int, {
      nullable: true,
      description: 'The version the agent saw; a stale one is a CONFLICT and changes nothing (left out: no check, as before)',
    })
    expectedVersion: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Order> {
    if (!(await ctx.services.orders.get(ctx.em, orderId))) throw notFound(`No order ${orderId}`);
    await ctx.services.orders.cancelLine(orderId, sku, quantity, expectedVersion);
    return this.reload(ctx, orderId);
  }

  private async reload(ctx: ApiContext, orderId: string): Promise<Order> {
    ctx.em.clear();
    return ctx.em.findOneOrFail(Order, { id: orderId });
  }
}
