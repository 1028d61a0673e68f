import type { EntityManager } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { OrderEventType, OrderStatus } from '../orders/order.enums';
import { moveTransferAllocationEtas } from '../reservations';
import { isoDay } from '../shared/dates';

/**
 * The ETA of every unit travelling on a transfer follows the transfer: from `arrivesAt` at the destination, plus
 * the destination's lane to each order's region. Lines (all of a ship-complete order's lines) take the latest ETA
 * of what covers them, and each line whose ETA moved to another day gets an ETA_CHANGED event. Call with the
 * orders concerned already locked.
 */
export async function moveTransferEtas(
  em: EntityManager,
  transferId: string,
  arrivesAt: Date,
  why: string,
  orders: Array<{ id: string; customer_id: string; status: OrderStatus }>,
): Promise<void> {
  await moveTransferAllocationEtas(em, transferId, arrivesAt);
  const moved: Array<{ order_id: string; sku: string; before: Date | null; after: Date | null }> = await em.execute(
    `with affected as (
       select l.id, l.order_id, l.sku, l.eta as before,
              case when o.fulfilment_policy = 'SHIP_COMPLETE'
                   then (select max(x.eta) from allocation x where x.order_id = l.order_id and x.status = 'ACTIVE')
                   else (select max(x.eta) from allocation x where x.order_line_id = l.id and x.status = 'ACTIVE') end as after
       from order_line l join sales_order o on o.id = l.order_id
       where l.order_id in (select order_id from allocation where transfer_id = ? and status = 'ACTIVE'))
     update order_line l set eta = affected.after from affected
     where l.id = affected.id and affected.after is not null and affected.after is distinct from affected.before
     returning affected.order_id, affected.sku, affected.before, affected.after`,
    [transferId],
  );
  const orderOf = new Map(orders.map((o) => [o.id, o]));
  await recordOrderEvents(
    em,
    moved
      .filter((m) => m.before && m.after && isoDay(new Date(m.before)) !== isoDay(new Date(m.after)) && orderOf.has(m.order_id))
      .map((m) => ({
        orderId: m.order_id,
        customerId: orderOf.get(m.order_id)!.customer_id,
        type: OrderEventType.ETA_CHANGED,
        status: orderOf.get(m.order_id)!.status,
        message: `ETA of ${m.sku} moved from ${isoDay(new Date(m.before!))} to ${isoDay(new Date(m.after!))}: ${why}`,
      })),
  );
}
