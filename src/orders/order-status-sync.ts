import type { EntityManager } from '@mikro-orm/postgresql';
import { refreshShipmentReadiness } from './shipment-readiness';
import { deriveOrderStatus } from './order-status';
import type { FulfilmentPolicy, OrderStatus } from './order.enums';

export interface LockedOrder {
  id: string;
  number: string;
  customerId: string;
  status: OrderStatus;
  fulfilmentPolicy: FulfilmentPolicy;
  /** The version when it was locked. */
  version: number;
}

interface LockedOrderRow {
  id: string;
  number: string;
  customer_id: string;
  status: OrderStatus;
  fulfilment_policy: FulfilmentPolicy;
  version: number;
}

interface LineQuantityRow {
  quantity: number;
  allocated_quantity: number;
  backordered_quantity: number;
  shipped_quantity: number;
  cancelled_quantity: number;
}

/** Locks an order row for the rest of the transaction; null if there is no such order. */
export async function lockOrder(em: EntityManager, orderId: string): Promise<LockedOrder | null> {
  const [row] = await em.execute<LockedOrderRow[]>(
    `select id, number::text as number, customer_id, status, fulfilment_policy, version from sales_order where id = ? for update`,
    [orderId],
  );
  return row
    ? {
        id: row.id,
        number: row.number,
        customerId: row.customer_id,
        status: row.status,
        fulfilmentPolicy: row.fulfilment_policy,
        version: row.version,
      }
    : null;
}

/**
 * Sets an order's status from its lines (the only way it changes outside the allocator) and its shipments' readiness.
 * Every caller has just changed the order, so its version goes up.
 */
export async function syncOrderStatus(em: EntityManager, order: LockedOrder): Promise<OrderStatus> {
  const lines = await em.execute<LineQuantityRow[]>(
    `select quantity, allocated_quantity, backordered_quantity, shipped_quantity, cancelled_quantity from order_line where order_id = ?`,
    [order.id],
  );
  const status = deriveOrderStatus(
    order.fulfilmentPolicy,
    lines.map((l) => ({
      quantity: l.quantity,
      allocatedQuantity: l.allocated_quantity,
      backorderedQuantity: l.backordered_quantity,
      shippedQuantity: l.shipped_quantity,
      cancelledQuantity: l.cancelled_quantity,
    })),
  );
  await em.execute(
    `update sales_order set status = ?, hold_reason = case when ? = 'ON_HOLD' then hold_reason end, version = version + 1, updated_at = now()
     where id = ?`,
    [status, status, order.id],
  );
  await refreshShipmentReadiness(em, [order.id]);
  return status;
}
