import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { PurchaseOrder, PurchaseOrderLine } from '../../../purchasing/purchase-order.entity';
import { formatPurchaseOrderNumber } from '../../../shared/document-numbers';
import type { ApiContext } from '../../context';
import { PurchaseOrderGql, PurchaseOrderLineGql } from '../types/purchase-order';

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
}

@Resolver(() => PurchaseOrderLineGql)
export class PurchaseOrderLineFieldsResolver {
  /** ACTIVE allocations of kind WAIT or DROP_SHIP that point at this line. */
  @FieldResolver(() => Int)
  promisedQuantity(@Root() line: PurchaseOrderLine, @Ctx() ctx: ApiContext): Promise<number> {
    return ctx.loaders.promisedQuantityByPurchaseOrderLineId.load(line.id);
  }
}
