import type { LoadedOrder, LoadedLine } from '../load-snapshot';
import type { PlanningSnapshot } from '../planning.types';

/** What turning a plan into rows needs to know of the batch it was planned for. */
export interface BatchFacts {
  orders: ReadonlyMap<string, Pick<LoadedOrder, 'customerId' | 'number'>>;
  lines: ReadonlyMap<string, Pick<LoadedLine, 'unitPrice'>>;
  snapshot: Pick<PlanningSnapshot, 'warehouses' | 'products'>;
}

export function orderFacts(batch: BatchFacts, orderId: string): Pick<LoadedOrder, 'customerId' | 'number'> {
  const order = batch.orders.get(orderId);
  if (!order) throw new Error(`plan names order ${orderId}, which the batch did not load`);
  return order;
}
