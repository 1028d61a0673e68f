import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { StockLevelView } from '../../../inventory/stock.service';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { StockAdjustmentInput, StockLevelGql } from '../types/stock';

@Resolver(() => StockLevelGql)
export class StockResolver {
  @Authorized(Roles.CATALOGUE)
  @Query(() => [StockLevelGql], { description: 'One row per active warehouse; empty for an unknown SKU' })
  stockLevels(@Arg('sku', () => String) sku: string, @Ctx() ctx: ApiContext): Promise<StockLevelView[]> {
    return ctx.services.stock.stockLevels(sku, ctx.em);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => StockLevelGql, { description: 'Adds or removes units on hand; refuses (CONFLICT) to go below what is reserved' })
  adjustStock(@Arg('input', () => StockAdjustmentInput) input: StockAdjustmentInput, @Ctx() ctx: ApiContext): Promise<StockLevelView> {
    return ctx.services.stock.adjustStock(input);
  }
}
