import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { formatTransferNumber } from '../../../shared/document-numbers';
import type { Transfer, TransferLine } from '../../../transfers/transfer.entity';
import type { ApiContext } from '../../context';
import { TransferGql, TransferLineGql } from '../types/transfer';

@Resolver(() => TransferGql)
export class TransferFieldsResolver {
  @FieldResolver(() => String)
  number(@Root() transfer: Transfer): string {
    return formatTransferNumber(transfer.number);
  }

  @FieldResolver(() => [TransferLineGql])
  lines(@Root() transfer: Transfer, @Ctx() ctx: ApiContext): Promise<TransferLine[]> {
    return ctx.loaders.transferLinesByTransferId.load(transfer.id);
  }
}
