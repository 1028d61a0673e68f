import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Order } from '../../../orders/order.entity';
import type { OrderLine } from '../../../orders/order-line.entity';
import type { BackorderView } from '../../../orders/order.service';
import type { ApiContext } from '../../context';
import { BackorderGql, OrderGql, OrderLineGql } from '../types/order';

/** A backorder is an order line seen from the console: its order and line come through the request's loaders. */
@Resolver(() => BackorderGql)
export class BackorderFieldsResolver {
  @FieldResolver(() => OrderGql)
  async order(@Root() backorder: BackorderView, @Ctx() ctx: ApiContext): Promise<Order> {
    return (await ctx.loaders.orderById.load(backorder.orderId))!;
  }

  @FieldResolver(() => OrderLineGql)
  async line(@Root() backorder: BackorderView, @Ctx() ctx: ApiContext): Promise<OrderLine> {
    const lines = await ctx.loaders.linesByOrderId.load(backorder.orderId);
    return lines.find((l) => l.id === backorder.id)!;
  }
}
