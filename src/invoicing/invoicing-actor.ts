import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { LockedOrder, lockOrder } from '../orders/order-status-sync';

/** Who issues a document: shown on it (`issuedBy`) and on the orders' timelines. */
export interface InvoicingActor {
  name: string;
}

/**
 * Locks orders in id order (orders before anything else, as everywhere), so two issues touching the same orders
 * queue rather than deadlock.
 */
export async function lockOrders(em: EntityManager, orderIds: Iterable<string>): Promise<LockedOrder[]> {
  const locked: LockedOrder[] = [];
  for (const id of [...new Set(orderIds)].sort()) {
    const order = await lockOrder(em, id);
    if (order) locked.push(order);
  }
  return locked;
}

/** An issued document changes what the order shows (its invoicing state), so its version goes up by one. */
export async function raiseOrderVersions(em: EntityManager, orders: LockedOrder[]): Promise<void> {
  if (orders.length === 0) return;
  await em.execute(`update sales_order set version = version + 1, updated_at = now() where id = any(?::uuid[])`, [sqlArray(orders.map((o) => o.id))]);
}
