import { registerEnumType } from 'type-graphql';
import { AllocationKind, AllocationStatus } from '../../../allocation/allocation.enums';
import { BackorderCoverage, BackorderSupplyKind } from '../../../allocation/planner/backorder-pegging';
import { BackorderPolicy } from '../../../catalog/product.entity';
import { OrderAction } from '../../../orders/order-lifecycle';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority, OrderStatus } from '../../../orders/order.enums';
import { PurchaseOrderStatus } from '../../../purchasing/purchase-order.entity';
import { ShipmentStatus } from '../../../shipments/shipment.entity';
import { TransferStatus } from '../../../transfers/transfer.entity';

/** The domain's own enums, shown in GraphQL under the same names and values. Import this module before using them. */
registerEnumType(OrderStatus, { name: 'OrderStatus' });
registerEnumType(FulfilmentPolicy, {
  name: 'FulfilmentPolicy',
  valuesConfig: {
    SHIP_PARTIAL: { description: 'Ship what is there, backorder the rest' },
    SHIP_COMPLETE: { description: 'Park the order until everything can ship' },
    SPLIT_ORDER: { description: 'Close this order with what ships, open a new order for the rest' },
  },
});
registerEnumType(OrderPriority, { name: 'OrderPriority' });
registerEnumType(OrderFlag, { name: 'OrderFlag' });
registerEnumType(OrderEventType, { name: 'OrderEventType' });
registerEnumType(OrderAction, { name: 'OrderAction', description: 'What may be done to an order (the status model: orderTransitions)' });
registerEnumType(AllocationKind, {
  name: 'AllocationKind',
  valuesConfig: {
    PULL: { description: 'Reserved from stock in the warehouse that ships it' },
    TRANSFER: { description: 'Reserved in another warehouse and moved by transfer to the one that ships it' },
    WAIT: { description: 'Waiting for inbound supply: a purchase order, or the lead time' },
    DROP_SHIP: { description: 'Ordered from the supplier, delivered straight to the customer' },
  },
});
registerEnumType(AllocationStatus, { name: 'AllocationStatus' });
registerEnumType(BackorderPolicy, { name: 'BackorderPolicy' });
registerEnumType(PurchaseOrderStatus, { name: 'PurchaseOrderStatus' });
registerEnumType(ShipmentStatus, { name: 'ShipmentStatus' });
registerEnumType(TransferStatus, { name: 'TransferStatus' });

export {
  AllocationKind,
  AllocationStatus,
  BackorderPolicy,
  FulfilmentPolicy,
  OrderAction,
  OrderEventType,
  OrderFlag,
  OrderPriority,
  OrderStatus,
  PurchaseOrderStatus,
  ShipmentStatus,
  TransferStatus,
};
registerEnumType(BackorderSupplyKind, {
  name: 'BackorderSupplyKind',
  valuesConfig: {
    PURCHASE_ORDER: { description: 'An inbound purchase order line' },
    TRANSFER: { description: 'A transfer between warehouses (these units count as allocated, not backordered)' },
    DROP_SHIP: { description: 'A purchase order the supplier delivers straight to the customer' },
    LEAD_TIME: { description: "Nothing on order: the supplier's lead time" },
  },
});
registerEnumType(BackorderCoverage, {
  name: 'BackorderCoverage',
  valuesConfig: {
    FULL: { description: 'Every backordered unit waits on a purchase order or drop-ship order' },
    PARTIAL: { description: 'Some do, the rest wait for the lead time' },
    NONE: { description: 'None do' },
  },
});

export { BackorderCoverage, BackorderSupplyKind };
