import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { AllocationSettings } from '../../../allocation/allocation-settings';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { AllocationSettingsGql, AllocationSettingsInput } from '../types/allocation-settings';

@Resolver(() => AllocationSettingsGql)
export class AllocationSettingsResolver {
  @Authorized(Roles.STAFF)
  @Query(() => AllocationSettingsGql)
  allocationSettings(@Ctx() ctx: ApiContext): Promise<AllocationSettings> {
    return ctx.services.allocationSettings.get(ctx.em);
  }

  @Authorized(Roles.ADMIN)
  @Mutation(() => AllocationSettingsGql, { description: 'Fields left out keep their value' })
  updateAllocationSettings(
    @Arg('input', () => AllocationSettingsInput) input: AllocationSettingsInput,
    @Ctx() ctx: ApiContext,
  ): Promise<AllocationSettings> {
    return ctx.services.allocationSettings.update({ ...input, weights: input.weights ? { ...input.weights } : undefined });
  }
}
