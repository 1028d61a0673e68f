import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { ProductView } from '../../../catalog/product.service';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { ProductGql, ProductInput } from '../types/product';

@Resolver(() => ProductGql)
export class ProductResolver {
  @Authorized(Roles.CATALOGUE)
  @Query(() => ProductGql, { nullable: true })
  product(@Arg('sku', () => String) sku: string, @Ctx() ctx: ApiContext): Promise<ProductView | null> {
    return ctx.services.products.getProduct(sku, ctx.em);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => ProductGql, { description: 'Creates or updates the product with this SKU' })
  upsertProduct(@Arg('input', () => ProductInput) input: ProductInput, @Ctx() ctx: ApiContext): Promise<ProductView> {
    return ctx.services.products.upsertProduct(input);
  }
}
