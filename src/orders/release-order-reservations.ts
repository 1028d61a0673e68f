import type { EntityManager } from '@mikro-orm/postgresql';
import { releaseAllocations, releaseReservedStock, takeUnitsOffShipment } from '../reservations';
import { OPEN_SHIPMENT_STATUSES } from '../shipments/shipment.enums';
import { sqlStatusList } from '../db/sql';

/**
 * Gives back every unit an order (locked by the caller) holds reserved in a warehouse and has not shipped: its
 * units wait again and the stock is free. Transfers already planned or dispatched keep their units. Returns the
 * SKUs released, for the caller to re-plan. Orders before stock rows, as everywhere.
 */
export async function releaseOrderReservations(em: EntityManager, orderId: string): Promise<string[]> {
  const pulls: Array<{ id: string; order_line_id: string; sku: string; quantity: number; warehouse_code: string; shipment_id: string }> =
    await em.execute(
      `select a.id, a.order_line_id, a.sku, a.quantity, a.warehouse_code, a.shipment_id
     from allocation a join shipment s on s.id = a.shipment_id
     where a.order_id = ? and a.kind = 'PULL' and a.status = 'ACTIVE' and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}
     order by a.id`,
      [orderId],
    );
  if (pulls.length === 0) return [];
  await releaseAllocations(
    em,
    pulls.map((p) => ({ id: p.id, quantity: p.quantity, take: p.quantity })),
  );
  for (const pull of pulls) {
    await em.execute(
      `update order_line set allocated_quantity = allocated_quantity - ?, backordered_quantity = backordered_quantity + ? where id = ?`,
      [pull.quantity, pull.quantity, pull.order_line_id],
    );
    await takeUnitsOffShipment(em, pull.shipment_id, pull.order_line_id, pull.quantity);
  }
  await releaseReservedStock(
    em,
    pulls.map((p) => ({ sku: p.sku, warehouseCode: p.warehouse_code, quantity: p.quantity })),
  );
  await em.execute(
    `update shipment s set status = 'CANCELLED' where s.order_id = ? and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}
       and not exists (select 1 from shipment_line sl where sl.shipment_id = s.id)`,
    [orderId],
  );
  return [...new Set(pulls.map((p) => p.sku))];
}
