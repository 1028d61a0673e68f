import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Shipment } from '../../../shipments/shipment.entity';
import type { ApiContext } from '../../context';
import { ShipmentGql, ShipmentLineGql } from '../types/shipment';

@Resolver(() => ShipmentGql)
export class ShipmentFieldsResolver {
  @FieldResolver(() => ID)
  orderId(@Root() shipment: Shipment): string {
    return shipment.order.id;
  }

  @FieldResolver(() => [ShipmentLineGql])
  async lines(@Root() shipment: Shipment, @Ctx() ctx: ApiContext): Promise<ShipmentLineGql[]> {
    const lines = await ctx.loaders.shipmentLinesByShipmentId.load(shipment.id);
    return lines.map((line) => ({ orderLineId: line.orderLine.id, sku: line.sku, quantity: line.quantity }));
  }
}
