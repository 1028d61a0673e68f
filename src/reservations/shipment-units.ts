import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Takes units of an order line off a shipment that has not shipped, removing lines that reach zero: what a released
 * PULL reservation no longer puts on the pick list.
 */
export async function takeUnitsOffShipment(em: EntityManager, shipmentId: string, orderLineId: string, units: number): Promise<void> {
  let left = units;
  const rows: Array<{ id: string; quantity: number }> = await em.execute(
    `select id, quantity from shipment_line where shipment_id = ? and order_line_id = ? order by quantity, id`,
    [shipmentId, orderLineId],
  );
  for (const row of rows) {
    if (left === 0) break;
    const take = Math.min(left, row.quantity);
    left -= take;
    if (take === row.quantity) await em.execute(`delete from shipment_line where id = ?`, [row.id]);
    else await em.execute(`update shipment_line set quantity = quantity - ? where id = ?`, [take, row.id]);
  }
}
