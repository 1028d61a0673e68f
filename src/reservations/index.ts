/**
 * Reservations: every write to `allocation` rows and to `stock_level.reserved_quantity` goes through this module
 * (`allocation_request`, the table of owed planning work, is another thing, written where work is owed). It
 * imports nothing from orders, inventory or shipments; those call it, which keeps them free of circular imports.
 *
 * Where are reservations made and given back?
 *
 * | made (inverse)                                   | by whom                                                              |
 * |--------------------------------------------------|----------------------------------------------------------------------|
 * | `reserveStock` (`releaseReservedStock`)          | the allocation applier reserves PULL and TRANSFER covers, guarded: a row without the free stock throws `StockMovedError` and nothing is reserved |
 * | `recordAllocations` (`releaseAllocations`)       | the applier writes the plan's covers; cancelling units (orders/cancel-units), giving back an order's pulls when its terms change (orders/release-order-reservations) and a stock count lowered below what is reserved (inventory/release-reservations) release them, with `releaseReservedStock` for PULL units |
 * | `takeUnitsOffShipment`                           | with a PULL given back, its units leave the pick list of the shipment that has not shipped |
 * | `dropWaitingCovers`                              | the applier, before re-planning lines: waits hold no stock and are written again |
 * | `dispatchTransferReservations` (`receiveTransferReservations`) | a transfer leaves its source with its reserved units and arrives reserved at its destination (transfers/transfer.service); `moveTransferAllocationEtas` moves the ETAs of what travels on it |
 * | `shipReservations`                               | a shipment ships: reserved units leave stock and its allocations are SHIPPED (shipments/shipment.service) |
 * | `deliverDropShip`                                | a drop-ship purchase order is received: the supplier delivered, its DROP_SHIP covers are SHIPPED, no stock moves (purchasing/purchase-order.service) |
 *
 * Stock rows are locked in id order before any multi-row change (`lockStockRows`), here and in the other stock
 * movements (inventory/stock-movements), so concurrent changes cannot deadlock. Callers lock the orders concerned
 * first, in id order, then stock rows.
 */
export { StockMovedError } from './stock-moved';
export { aggregateMovements, lockStockRows, lockStockRowsById } from './stock-row-locks';
export type { StockMovement, StockRow } from './stock-row-locks';
export { reserveStock, releaseReservedStock, issueReservedStock, receiveReservedStock } from './reserved-stock';
export type { StockToReserve } from './reserved-stock';
export { recordAllocations, dropWaitingCovers, releaseAllocations } from './allocation-records';
export type { NewAllocationRow, AllocationTake } from './allocation-records';
export { takeUnitsOffShipment } from './shipment-units';
export { shipReservations, deliverDropShip } from './ship-reservations';
export type { DeliveredUnits } from './ship-reservations';
export { dispatchTransferReservations, receiveTransferReservations, moveTransferAllocationEtas } from './transfer-reservations';
