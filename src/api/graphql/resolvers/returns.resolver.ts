import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Principal, requireRole, Role } from '../../../auth/roles';
import { Order } from '../../../orders/order.entity';
import { Exchange, ReturnAuthorisation, ReturnLine, ReturnReceipt } from '../../../returns/return-authorisation.entity';
import { refundableQuantity } from '../../../returns/return-quantities';
import { formatReturnNumber } from '../../../shared/document-numbers';
import { forbidden } from '../../../shared/errors';
import { isUuid } from '../../../shared/input-checks';
import { principalOf, Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { OrderGql } from '../types/order';
import {
  AuthoriseReturnInput,
  CreateExchangeInput,
  ReceiveReturnInput,
  ReturnAuthorisationGql,
  ReturnLineGql,
  ReturnReceiptGql,
} from '../types/returns';
import { actorOf } from './order-actions.resolver';

/** Returns and exchanges are read by staff and by the customer whose order it is. */
export function requireReturnAccess(principal: Principal, customerId: string): void {
  if (principal.role === Role.CUSTOMER) {
    if (principal.customerId !== customerId) throw forbidden('This belongs to another customer');
    return;
  }
  requireRole(principal, Role.SERVICE, Role.OPS);
}

async function loadReturn(ctx: ApiContext, id: string): Promise<ReturnAuthorisation | null> {
  if (!isUuid(id)) return null;
  return ctx.em.findOne(ReturnAuthorisation, { id }, { populate: ['order'] });
}

async function reloadReturn(ctx: ApiContext, id: string): Promise<ReturnAuthorisation> {
  ctx.em.clear();
  return ctx.em.findOneOrFail(ReturnAuthorisation, { id }, { populate: ['order'] });
}

/** Return authorisations (RMA), their receipts, and exchanges. */
@Resolver(() => ReturnAuthorisationGql)
export class ReturnsResolver {
  @Authorized()
  @Query(() => ReturnAuthorisationGql, { nullable: true, description: 'One return; customers see only their own' })
  async returnAuthorisation(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<ReturnAuthorisation | null> {
    const ret = await loadReturn(ctx, id);
    if (!ret) return null;
    requireReturnAccess(principalOf(ctx), ret.order.customer.id);
    return ret;
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => ReturnAuthorisationGql, { description: 'Authorises the return of shipped units (RMA); event RETURN_AUTHORISED' })
  async authoriseReturn(@Arg('input', () => AuthoriseReturnInput) input: AuthoriseReturnInput, @Ctx() ctx: ApiContext): Promise<ReturnAuthorisation> {
    const id = await ctx.services.returns.authorise(input, actorOf(ctx));
    return reloadReturn(ctx, id);
  }

  @Authorized([...Roles.ORDER_DESK, Role.OPS])
  @Mutation(() => ReturnAuthorisationGql, {
    description: 'Receives returned units: SELLABLE back on hand (serving waiting backorders at once), DAMAGED written off; event RETURN_RECEIVED',
  })
  async receiveReturn(@Arg('input', () => ReceiveReturnInput) input: ReceiveReturnInput, @Ctx() ctx: ApiContext): Promise<ReturnAuthorisation> {
    await ctx.services.returns.receive(input, actorOf(ctx));
    return reloadReturn(ctx, input.returnId);
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => OrderGql, {
    description:
      'A replacement order (flagged REPLACEMENT, prices 0) for units of a return, placed and allocated like any order; event EXCHANGE_CREATED on both orders',
  })
  async createExchange(@Arg('input', () => CreateExchangeInput) input: CreateExchangeInput, @Ctx() ctx: ApiContext): Promise<Order> {
    const orderId = await ctx.services.returns.createExchange(input, actorOf(ctx));
    ctx.em.clear();
    return ctx.em.findOneOrFail(Order, { id: orderId });
  }

  @FieldResolver(() => String)
  number(@Root() ret: ReturnAuthorisation): string {
    return formatReturnNumber(ret.number);
  }

  @FieldResolver(() => OrderGql)
  async order(@Root() ret: ReturnAuthorisation, @Ctx() ctx: ApiContext): Promise<Order> {
    return (await ctx.loaders.orderById.load(ret.order.id))!;
  }

  @FieldResolver(() => [ReturnLineGql])
  async lines(@Root() ret: ReturnAuthorisation, @Ctx() ctx: ApiContext): Promise<ReturnLineGql[]> {
    const lines = await ctx.em.find(ReturnLine, { returnAuthorisation: ret.id }, { orderBy: { sku: 'asc' } });
    return lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      receivedSellableQuantity: l.receivedSellableQuantity,
      receivedDamagedQuantity: l.receivedDamagedQuantity,
      exchangedQuantity: l.exchangedQuantity,
      refundedQuantity: l.refundedQuantity,
      refundableQuantity: refundableQuantity({
        sku: l.sku,
        quantity: l.quantity,
        receivedSellable: l.receivedSellableQuantity,
        receivedDamaged: l.receivedDamagedQuantity,
        exchanged: l.exchangedQuantity,
        refunded: l.refundedQuantity,
      }),
    }));
  }

  @FieldResolver(() => [ReturnReceiptGql])
  async receipts(@Root() ret: ReturnAuthorisation, @Ctx() ctx: ApiContext): Promise<ReturnReceiptGql[]> {
    const receipts = await ctx.em.find(
      ReturnReceipt,
      { returnAuthorisation: ret.id },
      { populate: ['lines'], orderBy: { receivedAt: 'asc', id: 'asc' } },
    );
    return receipts.map((r) => ({ id: r.id, receivedAt: r.receivedAt, lines: r.lines.getItems() }));
  }

  @FieldResolver(() => [OrderGql])
  async exchanges(@Root() ret: ReturnAuthorisation, @Ctx() ctx: ApiContext): Promise<Order[]> {
    const exchanges = await ctx.em.find(
      Exchange,
      { returnAuthorisation: ret.id },
      { populate: ['replacementOrder'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return exchanges.map((e) => e.replacementOrder as Order);
  }
}

/** An order's returns, and the return a replacement order replaces units of. */
@Resolver(() => OrderGql)
export class OrderReturnsFieldsResolver {
  @FieldResolver(() => [ReturnAuthorisationGql], { description: 'Return authorisations of this order, oldest first' })
  returns(@Root() order: Order, @Ctx() ctx: ApiContext): Promise<ReturnAuthorisation[]> {
    return ctx.em.find(ReturnAuthorisation, { order: order.id }, { populate: ['order'], orderBy: { number: 'asc' } });
  }

  @FieldResolver(() => ReturnAuthorisationGql, {
    nullable: true,
    description: 'REPLACEMENT orders from an exchange: the return whose units it replaces',
  })
  async replacementFor(@Root() order: Order, @Ctx() ctx: ApiContext): Promise<ReturnAuthorisation | null> {
    const exchange = await ctx.em.findOne(Exchange, { replacementOrder: order.id }, { populate: ['returnAuthorisation.order'] });
    return (exchange?.returnAuthorisation as ReturnAuthorisation | undefined) ?? null;
  }
}
