import type { EntityManager } from '@mikro-orm/postgresql';
import { issueReservedStock, receiveReservedStock } from './reserved-stock';
import type { StockMovement } from './stock-row-locks';

/**
 * A planned transfer leaves its source: the units reserved there for its orders leave stock. Their TRANSFER
 * allocations stay ACTIVE (they travel with the transfer). Inverse: `receiveTransferReservations`.
 */
export async function dispatchTransferReservations(em: EntityManager, movements: StockMovement[]): Promise<void> {
  await issueReservedStock(em, movements);
}

/** A transfer arrives: its units are on hand at the destination, still reserved for the orders it was planned for. */
export async function receiveTransferReservations(em: EntityManager, movements: StockMovement[]): Promise<void> {
  await receiveReservedStock(em, movements);
}

/**
 * The ETA of every active allocation travelling on a transfer follows it: from `arrivesAt` at the destination,
 * plus the destination's lane to each order's region.
 */
export async function moveTransferAllocationEtas(em: EntityManager, transferId: string, arrivesAt: Date): Promise<void> {
  await em.execute(
    `update allocation a set eta = ?::timestamptz + make_interval(days => coalesce((
        select sl.days from shipping_lane sl join warehouse w on w.id = sl.warehouse_id
        where w.code = a.warehouse_code and sl.region = (select o.ship_to_region from sales_order o where o.id = a.order_id)), 0))
     where a.transfer_id = ? and a.status = 'ACTIVE'`,
    [arrivesAt.toISOString(), transferId],
  );
}
