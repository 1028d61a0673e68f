import type { EntityManager } from '@mikro-orm/postgresql';
import { issueReservedStock } from './reserved-stock';
import type { StockMovement } from './stock-row-locks';
import { sqlArray } from '../db/sql';

/**
 * A shipment leaves its warehouse: its reserved units leave stock (guarded, see `issueReservedStock`) and its
 * active allocations become SHIPPED. Call with the order and the shipment locked.
 */
export async function shipReservations(em: EntityManager, shipmentId: string, movements: StockMovement[]): Promise<void> {
  await issueReservedStock(em, movements);
  await em.execute(`update allocation set status = 'SHIPPED' where shipment_id = ? and status = 'ACTIVE'`, [shipmentId]);
}

/** Units of one order line a drop-ship delivery shipped. */
export interface DeliveredUnits {
  orderLineId: string;
  quantity: number;
}

/**
 * The supplier delivered `units` of a drop-ship purchase order line: its active DROP_SHIP covers, oldest first,
 * become SHIPPED on `shipmentId`. A cover delivered in part keeps the rest ACTIVE and a SHIPPED copy records the
 * delivered part. No stock moves (drop ship never reserved any). Returns what was delivered per cover, in order.
 */
export async function deliverDropShip(em: EntityManager, purchaseOrderLineId: string, units: number, shipmentId: string): Promise<DeliveredUnits[]> {
  const covers: Array<{ id: string; order_line_id: string; quantity: number }> = await em.execute(
    `select id, order_line_id, quantity from allocation where purchase_order_line_id = ? and kind = 'DROP_SHIP' and status = 'ACTIVE' order by created_at, id for update`,
    [purchaseOrderLineId],
  );
  const delivered: DeliveredUnits[] = [];
  const whole: string[] = [];
  let partial: { id: string; take: number } | null = null;
  let left = units;
  for (const cover of covers) {
    if (left === 0) break;
    const take = Math.min(left, cover.quantity);
    left -= take;
    if (take === cover.quantity) whole.push(cover.id);
    else partial = { id: cover.id, take };
    delivered.push({ orderLineId: cover.order_line_id, quantity: take });
  }
  if (whole.length > 0) {
    await em.execute(`update allocation set status = 'SHIPPED', shipment_id = ? where id = any(?::uuid[])`, [shipmentId, sqlArray(whole)]);
  }
  if (partial) {
    await em.execute(`update allocation set quantity = quantity - ? where id = ?`, [partial.take, partial.id]);
    await em.execute(
      `insert into allocation (id, order_id, order_line_id, kind, status, sku, quantity, eta, reason, purchase_order_line_id, shipment_id)
       select gen_random_uuid(), order_id, order_line_id, kind, 'SHIPPED', sku, ?, eta, reason, purchase_order_line_id, ? from allocation where id = ?`,
      [partial.take, shipmentId, partial.id],
    );
  }
  return delivered;
}
