import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Order } from '../../../orders/order.entity';
import type { OrderLine } from '../../../orders/order-line.entity';
import type { BackorderSupplyView, BackorderView } from '../../../orders/backorder-list';
import type { PurchaseOrder } from '../../../purchasing/purchase-order.entity';
import type { Transfer } from '../../../transfers/transfer.entity';
import { PurchaseOrderGql } from '../types/purchase-order';
import { TransferGql } from '../types/transfer';
import type { ApiContext } from '../../context';
import { BackorderGql, BackorderSupplyGql, OrderGql, OrderLineGql } from '../types/order';

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

@Resolver(() => BackorderSupplyGql)
export class BackorderSupplyFieldsResolver {
  @FieldResolver(() => PurchaseOrderGql, { nullable: true })
  purchaseOrder(@Root() supply: BackorderSupplyView, @Ctx() ctx: ApiContext): Promise<PurchaseOrder | null> | null {
    return supply.purchaseOrderId ? ctx.loaders.purchaseOrderById.load(supply.purchaseOrderId) : null;
  }

  @FieldResolver(() => TransferGql, { nullable: true })
  transfer(@Root() supply: BackorderSupplyView, @Ctx() ctx: ApiContext): Promise<Transfer | null> | null {
    return supply.transferId ? ctx.loaders.transferById.load(supply.transferId) : null;
  }
}
