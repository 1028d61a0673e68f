import type { MikroORM } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { lockOrder, syncOrderStatus } from '../orders/order-status-sync';
import { OrderEventType } from '../orders/order.enums';
import { announceStockChanges } from '../outbox/outbox';
import { shipReservations } from '../reservations';
import { badInput, conflict, notFound } from '../shared/errors';
import { ShipmentStatus } from './shipment.entity';

export interface ShipCommand {
  shipmentId: string;
  trackingNumber?: string | null;
}

/** Pick-pack-ship records: one per order and warehouse. */
export class ShipmentService {
  constructor(private readonly orm: MikroORM) {}

  /** Ships a READY shipment: its reserved units leave the warehouse and count as shipped on the order. */
  async ship(command: ShipCommand): Promise<void> {
    if (command.trackingNumber != null && command.trackingNumber.length > 100)
      throw badInput('trackingNumber is longer than 100 characters', { field: 'trackingNumber' });
    await this.orm.em.fork().transactional(async (em) => {
      const [found] = await em.execute(`select order_id from shipment where id = ?`, [command.shipmentId]);
      if (!found) throw notFound(`No shipment ${command.shipmentId}`);
      const order = (await lockOrder(em, found.order_id))!;
      const [shipment] = await em.execute(`select id, status, warehouse_code from shipment where id = ? for update`, [command.shipmentId]);
      if (shipment.status !== ShipmentStatus.READY) {
        const why = shipment.status === ShipmentStatus.PENDING ? ': the order is on hold or a transfer has not arrived yet' : '';
        throw conflict(`Shipment is ${shipment.status} and cannot ship${why}`, { status: shipment.status });
      }
      const lines: Array<{ order_line_id: string; sku: string; quantity: number }> = await em.execute(
        `select order_line_id, sku, quantity from shipment_line where shipment_id = ?`,
        [shipment.id],
      );
      await shipReservations(
        em,
        shipment.id,
        lines.map((l) => ({ sku: l.sku, warehouseCode: shipment.warehouse_code, quantity: l.quantity })),
      );
      await em.execute(
        `update order_line l set allocated_quantity = l.allocated_quantity - s.quantity, shipped_quantity = l.shipped_quantity + s.quantity
         from (select order_line_id, sum(quantity)::int as quantity from shipment_line where shipment_id = ? group by order_line_id) s
         where l.id = s.order_line_id`,
        [shipment.id],
      );
      await em.execute(`update shipment set status = 'SHIPPED', tracking_number = ?, shipped_at = now() where id = ?`, [
        command.trackingNumber ?? null,
        shipment.id,
      ]);
      const status = await syncOrderStatus(em, order);
      const units = lines.reduce((s, l) => s + l.quantity, 0);
      await recordOrderEvents(em, [
        {
          orderId: order.id,
          customerId: order.customerId,
          type: OrderEventType.SHIPPED,
          status,
          message: `Shipped ${units} unit${units === 1 ? '' : 's'} from ${shipment.warehouse_code}${command.trackingNumber ? `, tracking ${command.trackingNumber}` : ''}`,
        },
      ]);
      await announceStockChanges(
        em,
        [...new Set(lines.map((l) => l.sku))].map((sku) => ({ sku, warehouseCode: shipment.warehouse_code })),
      );
    });
  }
}
