import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Shipment } from '../../../shipments/shipment.entity';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { ShipInput, ShipmentGql } from '../types/shipment';

@Resolver(() => ShipmentGql)
export class ShipmentResolver {
  @Authorized(Roles.OPERATIONS)
  @Mutation(() => ShipmentGql, { description: 'Ships a READY shipment (CONFLICT otherwise): on-hand and reserved stock fall together' })
  async shipShipment(@Arg('input', () => ShipInput) input: ShipInput, @Ctx() ctx: ApiContext): Promise<Shipment> {
    await ctx.services.shipments.ship(input);
    return ctx.em.findOneOrFail(Shipment, { id: input.shipmentId });
  }
}
