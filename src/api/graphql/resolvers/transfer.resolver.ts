import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Page } from '../../../shared/pagination';
import { Transfer } from '../../../transfers/transfer.entity';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { TransferConnection, TransferFilter, TransferGql, TransferReceiptInput } from '../types/transfer';

@Resolver(() => TransferGql)
export class TransferResolver {
  @Authorized(Roles.STAFF)
  @Query(() => TransferConnection, { description: 'Transfers between warehouses, newest first' })
  async transfers(
    @Arg('filter', () => TransferFilter, { nullable: true }) filter: TransferFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Transfer>> {
    return ctx.services.transfers.list(ctx.em, filter ?? {}, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => TransferGql, { description: 'The transfer leaves its source warehouse' })
  async dispatchTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Transfer> {
    await ctx.services.transfers.dispatch(id);
    return ctx.em.findOneOrFail(Transfer, { id });
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => TransferGql, { description: 'The transfer (or part of it) arrives; once whole, its orders may ship' })
  async receiveTransfer(@Arg('input', () => TransferReceiptInput) input: TransferReceiptInput, @Ctx() ctx: ApiContext): Promise<Transfer> {
    await ctx.services.transfers.receive(input);
    return ctx.em.findOneOrFail(Transfer, { id: input.transferId });
  }
}
