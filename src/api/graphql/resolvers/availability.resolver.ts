import { Arg, Authorized, Ctx, Extensions, Int, Query, Resolver } from 'type-graphql';
import type { AvailabilityView, DeliveryOption } from '../../../allocation/availability';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { readsInOneStatement } from '../../read-snapshot';
import { AvailabilityGql, AvailabilityItemInput } from '../types/availability';
import { DeliveryOptionGql, DeliveryOptionsInput } from '../types/delivery-options';

/**
 * Each root field reads in one statement: on the hot paths' pg pool, or inside the request's read snapshot when the
 * query asks other fields beside it (then the em exists already). `existingEm` forks no em that would go unused.
 */
@Resolver(() => AvailabilityGql)
export class AvailabilityResolver {
  @Authorized(Roles.CATALOGUE)
  @Extensions(readsInOneStatement)
  @Query(() => AvailabilityGql, {
    description: 'When `quantity` units could reach `region`, as the allocator would plan them now, net of earlier promises',
  })
  availability(
    @Arg('sku', () => String) sku: string,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('region', () => String, { nullable: true }) region: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<AvailabilityView> {
    return ctx.services.availability.check({ sku, quantity, region }, new Date(), ctx.existingEm ?? undefined);
  }

  @Authorized(Roles.CATALOGUE)
  @Extensions(readsInOneStatement)
  @Query(() => [AvailabilityGql], {
    description: 'availability for many SKUs in one request (a catalogue page), in the order asked, from one snapshot',
  })
  availabilities(
    @Arg('items', () => [AvailabilityItemInput]) items: AvailabilityItemInput[],
    @Arg('region', () => String, { nullable: true }) region: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<AvailabilityView[]> {
    return ctx.services.availability.checkMany(
      items.map((item) => ({ sku: item.sku, quantity: item.quantity, region })),
      new Date(),
      ctx.existingEm ?? undefined,
    );
  }

  @Authorized(Roles.ORDER_PLACING)
  @Extensions(readsInOneStatement)
  @Query(() => [DeliveryOptionGql], {
    description:
      'The delivery options of a whole cart, one per fulfilment policy (SHIP_PARTIAL, SHIP_COMPLETE, and SPLIT_ORDER when it would split), ' +
      'as the allocator would plan the order if it were placed now',
  })
  deliveryOptions(@Arg('input', () => DeliveryOptionsInput) input: DeliveryOptionsInput, @Ctx() ctx: ApiContext): Promise<DeliveryOption[]> {
    return ctx.services.availability.deliveryOptions(
      { region: input.region, lines: input.lines, maxWarehouses: input.maxWarehouses },
      new Date(),
      ctx.existingEm ?? undefined,
    );
  }
}
