import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { WarehouseView } from '../../../warehouses/warehouse.service';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { WarehouseGql, WarehouseInput } from '../types/warehouse';

@Resolver(() => WarehouseGql)
export class WarehouseResolver {
  @Authorized()
  @Query(() => [WarehouseGql], { description: 'Every warehouse, active or not, by code' })
  warehouses(@Ctx() ctx: ApiContext): Promise<WarehouseView[]> {
    return ctx.services.warehouses.listWarehouses(ctx.em);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => WarehouseGql, { description: 'Creates or updates the warehouse with this code' })
  upsertWarehouse(@Arg('input', () => WarehouseInput) input: WarehouseInput, @Ctx() ctx: ApiContext): Promise<WarehouseView> {
    return ctx.services.warehouses.upsertWarehouse(input);
  }
}
