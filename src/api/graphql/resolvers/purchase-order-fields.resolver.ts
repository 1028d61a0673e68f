import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Order } from '../../../orders/order.entity';
import type { GoodsReceipt, GoodsReceiptLine, GoodsReceiptServed } from '../../../purchasing/goods-receipt.entity';
import type { PurchaseOrder, PurchaseOrderLine } from '../../../purchasing/purchase-order.entity';
import { notFound } from '../../../shared/errors';
import { DateTimeScalar } from '../types/common';
import { GoodsReceiptServedGql, OrderGql } from '../types/order';
import { formatPurchaseOrderNumber } from '../../../shared/document-numbers';
import type { ApiContext } from '../../context';
import { GoodsReceiptGql, GoodsReceiptLineGql, PurchaseOrderGql, PurchaseOrderLineGql } from '../types/purchase-order';

@Resolver(() => PurchaseOrderGql)
export class PurchaseOrderFieldsResolver {
  @FieldResolver(() => String)
  number(@Root() purchaseOrder: PurchaseOrder): string {
    return formatPurchaseOrderNumber(purchaseOrder.number);
  }

  @FieldResolver(() => [PurchaseOrderLineGql])
  lines(@Root() purchaseOrder: PurchaseOrder, @Ctx() ctx: ApiContext): Promise<PurchaseOrderLine[]> {
    return ctx.loaders.purchaseOrderLinesByPurchaseOrderId.load(purchaseOrder.id);
  }

  @FieldResolver(() => [GoodsReceiptGql])
  receipts(@Root() purchaseOrder: PurchaseOrder, @Ctx() ctx: ApiContext): Promise<GoodsReceipt[]> {
    return ctx.loaders.receiptsByPurchaseOrderId.load(purchaseOrder.id);
  }
}

@Resolver(() => GoodsReceiptGql)
export class GoodsReceiptFieldsResolver {
  @FieldResolver(() => DateTimeScalar)
  at(@Root() receipt: GoodsReceipt): Date {
    return receipt.receivedAt;
  }

  @FieldResolver(() => [GoodsReceiptLineGql])
  lines(@Root() receipt: GoodsReceipt, @Ctx() ctx: ApiContext): Promise<GoodsReceiptLine[]> {
    return ctx.loaders.receiptLinesByReceiptId.load(receipt.id);
  }

  @FieldResolver(() => [GoodsReceiptServedGql], {
    description: 'Which waiting orders got how many units of it (filled in once the worker has allocated)',
  })
  served(@Root() receipt: GoodsReceipt, @Ctx() ctx: ApiContext): Promise<GoodsReceiptServed[]> {
    return ctx.loaders.receiptServedByReceiptId.load(receipt.id);
  }
}

@Resolver(() => GoodsReceiptServedGql)
export class GoodsReceiptServedFieldsResolver {
  @FieldResolver(() => OrderGql)
  async order(@Root() served: GoodsReceiptServed, @Ctx() ctx: ApiContext): Promise<Order> {
    const order = await ctx.loaders.orderById.load(served.orderId);
    if (!order) throw notFound(`Order ${served.orderId} no longer exists`);
    return order;
  }
}

@Resolver(() => PurchaseOrderLineGql)
export class PurchaseOrderLineFieldsResolver {
  /** ACTIVE allocations of kind WAIT or DROP_SHIP that point at this line. */
  @FieldResolver(() => Int)
  promisedQuantity(@Root() line: PurchaseOrderLine, @Ctx() ctx: ApiContext): Promise<number> {
    return ctx.loaders.promisedQuantityByPurchaseOrderLineId.load(line.id);
  }
}
