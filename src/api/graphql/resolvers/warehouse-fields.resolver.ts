import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { BackorderView } from '../../../orders/backorder-list';
import type { Page } from '../../../shared/pagination';
import type { WarehouseView } from '../../../warehouses/warehouse.service';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { BackorderConnection } from '../types/order';
import { WarehouseGql } from '../types/warehouse';

@Resolver(() => WarehouseGql)
export class WarehouseFieldsResolver {
  /** The warehouse's own backorder list: `backorders(filter: { warehouseCode })`. Staff only, like that list. */
  @Authorized(Roles.STAFF)
  @FieldResolver(() => BackorderConnection, { description: 'Open backorders that will ship from this warehouse, in the order they will be served' })
  backorders(
    @Root() warehouse: WarehouseView,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<BackorderView>> {
    return ctx.services.orders.backorders(ctx.em, { warehouseCode: warehouse.code }, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }
}
