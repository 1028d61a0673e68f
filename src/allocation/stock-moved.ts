// The error is raised where stock is reserved (src/reservations); the allocator catches it and plans again.
export { StockMovedError } from '../reservations/stock-moved';
