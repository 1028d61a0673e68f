import type { FulfilmentPolicy, OrderFlag, OrderPriority, OrderStatus } from './order.enums';
import type { SalesOrderRow } from './place-orders-statement';

/**
 * What the API shows of an order: the Order entity satisfies it, and so does a row just written, which then needs no
 * entity (mapping one into an EntityManager costs more than the rest of placeOrder's answer).
 */
export interface OrderRecord {
  id: string;
  number: string;
  status: OrderStatus;
  customer: { id: string };
  channel: string;
  currency: string;
  shipToRegion: string;
  fulfilmentPolicy: FulfilmentPolicy;
  priority: OrderPriority;
  flags: OrderFlag[];
  maxWarehouses?: number | null;
  holdReason?: string | null;
  version: number;
  placedAt: Date;
  updatedAt: Date;
  splitFrom?: { id: string } | null;
  /** The order's own tax rate (percent), over its products' rates. */
  taxRate?: string | null;
}

export function orderRecordFromRow(row: SalesOrderRow): OrderRecord {
  return {
    id: row.id,
    number: row.number,
    status: row.status as OrderStatus,
    customer: { id: row.customer_id },
    channel: row.channel,
    currency: row.currency,
    shipToRegion: row.ship_to_region,
    fulfilmentPolicy: row.fulfilment_policy as FulfilmentPolicy,
    priority: row.priority as OrderPriority,
    flags: row.flags as OrderFlag[],
    maxWarehouses: row.max_warehouses,
    holdReason: row.hold_reason,
    version: row.version,
    placedAt: row.placed_at,
    updatedAt: row.updated_at,
    splitFrom: row.split_from_id ? { id: row.split_from_id } : null,
    taxRate: row.tax_rate,
  };
}
