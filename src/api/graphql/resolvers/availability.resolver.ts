import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { AvailabilityView } from '../../../allocation/availability';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { AvailabilityGql } from '../types/availability';

@Resolver(() => AvailabilityGql)
export class AvailabilityResolver {
  @Authorized(Roles.CATALOGUE)
  @Query(() => AvailabilityGql, {
    description: 'When `quantity` units could reach `region`, as the allocator would plan them now, net of earlier promises',
  })
  availability(
    @Arg('sku', () => String) sku: string,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('region', () => String, { nullable: true }) region: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<AvailabilityView> {
    return ctx.services.availability.check({ sku, quantity, region });
  }
}
