export enum ShipmentStatus {
  /** Reserved, not to be picked yet: the order is on hold or a transfer is on its way. */
  PENDING = 'PENDING',
  READY = 'READY',
  SHIPPED = 'SHIPPED',
  CANCELLED = 'CANCELLED',
}

/** Not shipped nor cancelled yet: the shipment still holds its reservations and may be cancelled or re-planned. */
export const OPEN_SHIPMENT_STATUSES: readonly ShipmentStatus[] = [ShipmentStatus.PENDING, ShipmentStatus.READY];
