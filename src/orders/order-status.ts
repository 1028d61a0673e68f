import { FulfilmentPolicy, OrderStatus } from './order.enums';

export interface LineQuantities {
  quantity: number;
  allocatedQuantity: number;
  backorderedQuantity: number;
  shippedQuantity: number;
  cancelledQuantity: number;
}

/** An order's status follows from its lines' quantities and its policy; nothing else sets it. */
export function deriveOrderStatus(policy: FulfilmentPolicy, lines: LineQuantities[]): OrderStatus {
  let open = 0;
  let allocated = 0;
  let backordered = 0;
  let shipped = 0;
  for (const line of lines) {
    open += line.quantity - line.cancelledQuantity;
    allocated += line.allocatedQuantity;
    backordered += line.backorderedQuantity;
    shipped += line.shippedQuantity;
  }
  if (open === 0) return OrderStatus.CANCELLED;
  if (shipped === open) return OrderStatus.SHIPPED;
  if (policy === FulfilmentPolicy.SHIP_COMPLETE && backordered > 0) return OrderStatus.ON_HOLD;
  if (shipped > 0) return OrderStatus.PARTIALLY_SHIPPED;
  if (backordered === 0) return OrderStatus.ALLOCATED;
  if (allocated > 0) return OrderStatus.PARTIALLY_ALLOCATED;
  return OrderStatus.BACKORDERED;
}
