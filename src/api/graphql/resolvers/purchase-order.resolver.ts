import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { PurchaseOrder } from '../../../purchasing/purchase-order.entity';
import type { Page } from '../../../shared/pagination';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import {
  PurchaseOrderConnection,
  PurchaseOrderFilter,
  PurchaseOrderGql,
  PurchaseOrderInput,
  ReceiptInput,
  UpdatePurchaseOrderInput,
} from '../types/purchase-order';

@Resolver(() => PurchaseOrderGql)
export class PurchaseOrderResolver {
  @Authorized(Roles.STAFF)
  @Query(() => PurchaseOrderConnection, { description: 'Purchase orders by expected date; `suggested: true` lists reorder suggestions' })
  async purchaseOrders(
    @Arg('filter', () => PurchaseOrderFilter, { nullable: true }) filter: PurchaseOrderFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<PurchaseOrder>> {
    return ctx.services.purchaseOrders.list(ctx.em, filter ?? {}, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => PurchaseOrderGql, { description: 'An open purchase order: backorders of its SKUs are planned against it at once' })
  async createPurchaseOrder(@Arg('input', () => PurchaseOrderInput) input: PurchaseOrderInput, @Ctx() ctx: ApiContext): Promise<PurchaseOrder> {
    const id = await ctx.services.purchaseOrders.create(input);
    return ctx.em.findOneOrFail(PurchaseOrder, { id });
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => PurchaseOrderGql, { description: 'A goods receipt, whole or partial: stock rises and waiting backorders are filled at once' })
  async receivePurchaseOrder(@Arg('input', () => ReceiptInput) input: ReceiptInput, @Ctx() ctx: ApiContext): Promise<PurchaseOrder> {
    await ctx.services.purchaseOrders.receive(input);
    return ctx.em.findOneOrFail(PurchaseOrder, { id: input.purchaseOrderId });
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => PurchaseOrderGql, { description: 'A new expected date (waiting lines move their ETA, with ETA_CHANGED), or a status change' })
  async updatePurchaseOrder(
    @Arg('input', () => UpdatePurchaseOrderInput) input: UpdatePurchaseOrderInput,
    @Ctx() ctx: ApiContext,
  ): Promise<PurchaseOrder> {
    await ctx.services.purchaseOrders.update(input);
    return ctx.em.findOneOrFail(PurchaseOrder, { id: input.id });
  }
}
