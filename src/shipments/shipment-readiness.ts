// Readiness follows the order (on hold) and its reservations (transfers arrived): it is set with the order's status,
// in src/orders, so orders need not import shipments. Kept here for the allocation applier and transfers.
export { refreshShipmentReadiness } from '../orders/shipment-readiness';
