import type { EntityManager } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { LockedOrder, lockOrder, syncOrderStatus } from '../orders/order-status-sync';
import { OrderEventType } from '../orders/order.enums';
import { precedenceRankSql } from '../orders/order-precedence';
import { releaseAllocations, releaseReservedStock, takeUnitsOffShipment } from '../reservations';
import { OPEN_SHIPMENT_STATUSES } from '../shipments/shipment.enums';
import { sqlStatusList } from '../db/sql';
import { sqlArray } from '../db/sql';

/** The least claim first: lowest precedence, newest. */
const LEAST_CLAIM_FIRST_SQL = `${precedenceRankSql('o')}, o.placed_at desc, o.id desc`;

/**
 * Gives back `units` reserved units of a SKU in a warehouse, taken from the orders with the least claim on them
 * (lowest priority, newest first) and only from shipments not yet shipped. Their units become backordered again;
 * the caller asks the allocator to plan the SKU anew. Locks the orders (in id order) before the stock row, as every
 * operation does. Returns how many units it released.
 */
export async function releaseReservations(em: EntityManager, sku: string, warehouseCode: string, units: number, why: string): Promise<number> {
  const candidatesSql = `select a.id, a.order_id, a.order_line_id, a.quantity, a.shipment_id
     from allocation a join sales_order o on o.id = a.order_id join shipment s on s.id = a.shipment_id
     where a.sku = ? and a.warehouse_code = ? and a.kind = 'PULL' and a.status = 'ACTIVE' and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}`;
  // Lock the orders first (in id order), then read their reservations again: they cannot change any more.
  const holders: Array<{ order_id: string }> = await em.execute(`select distinct order_id from (${candidatesSql}) c`, [sku, warehouseCode]);
  const locked = new Map<string, LockedOrder>();
  for (const { order_id } of [...holders].sort((a, b) => (a.order_id < b.order_id ? -1 : 1))) {
    const order = await lockOrder(em, order_id);
    if (order) locked.set(order_id, order);
  }
  const candidates: Array<{ id: string; order_id: string; order_line_id: string; quantity: number; shipment_id: string }> = await em.execute(
    `${candidatesSql} and a.order_id = any(?::uuid[]) order by ${LEAST_CLAIM_FIRST_SQL}, a.created_at desc, a.id`,
    [sku, warehouseCode, sqlArray(locked.keys())],
  );
  const chosen: Array<{ allocation: (typeof candidates)[number]; take: number }> = [];
  let left = units;
  for (const allocation of candidates) {
    if (left === 0) break;
    const take = Math.min(left, allocation.quantity);
    chosen.push({ allocation, take });
    left -= take;
  }
  const orders = [...new Set(chosen.map((c) => c.allocation.order_id))].sort();

  await releaseAllocations(
    em,
    chosen.map(({ allocation, take }) => ({ id: allocation.id, quantity: allocation.quantity, take })),
  );
  for (const { allocation, take } of chosen) {
    await em.execute(
      `update order_line set allocated_quantity = allocated_quantity - ?, backordered_quantity = backordered_quantity + ? where id = ?`,
      [take, take, allocation.order_line_id],
    );
    await takeUnitsOffShipment(em, allocation.shipment_id, allocation.order_line_id, take);
  }
  const released = units - left;
  if (released === 0) return 0;
  await releaseReservedStock(em, [{ sku, warehouseCode, quantity: released }]);
  await em.execute(
    `update shipment s set status = 'CANCELLED' where s.order_id = any(?::uuid[]) and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}
       and not exists (select 1 from shipment_line sl where sl.shipment_id = s.id)`,
    [sqlArray(orders)],
  );
  const events = [];
  for (const orderId of orders) {
    const order = locked.get(orderId)!;
    const status = await syncOrderStatus(em, order);
    const mine = chosen.filter((c) => c.allocation.order_id === orderId).reduce((s, c) => s + c.take, 0);
    events.push({
      orderId,
      customerId: order.customerId,
      type: OrderEventType.BACKORDERED,
      status,
      message: `${mine} × ${sku} no longer reserved at ${warehouseCode}: ${why}; planning again`,
    });
  }
  await recordOrderEvents(em, events);
  return released;
}
