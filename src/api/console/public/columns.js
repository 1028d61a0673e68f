// The backorder list's columns: each names the Backorder fields it needs and how to show them. The list query
// is built from this table, so a new column (for example the supply a backorder waits for) is one entry here.
import { formatAge, formatDate, formatDateTime, formatSupply } from './format.js';

export const BACKORDER_COLUMNS = [
  { header: 'Order', fields: 'orderId orderNumber', opensOrder: true, cell: (b) => b.orderNumber },
  { header: 'Customer', fields: 'customerId', cell: (b) => b.customerId },
  { header: 'Priority', fields: 'priority', cell: (b) => b.priority },
  { header: 'SKU', fields: 'sku', cell: (b) => b.sku },
  { header: 'Backordered', fields: 'backorderedQuantity quantity', numeric: true, cell: (b) => `${b.backorderedQuantity} of ${b.quantity}` },
  {
    header: 'Waits for',
    fields: 'supply { kind quantity eta queuePosition unitsAhead purchaseOrder { number } transfer { number } }',
    cell: (b) => formatSupply(b.supply),
  },
  {
    header: 'Covered',
    fields: 'coverage coveredQuantity uncoveredQuantity',
    cell: (b) => `${b.coveredQuantity} covered, ${b.uncoveredQuantity} not`,
  },
  { header: 'ETA', fields: 'eta overdue', cell: (b) => `${formatDate(b.eta)}${b.overdue ? ' (overdue)' : ''}` },
  { header: 'Placed', fields: 'placedAt', cell: (b, now) => `${formatDateTime(b.placedAt)} (${formatAge(b.placedAt, now)} ago)` },
];

/** Most rows one request asks for (the API's page size limit is 100). */
export const PAGE_SIZE = 100;

export function backordersQuery(columns = BACKORDER_COLUMNS) {
  const fields = ['id', ...columns.map((column) => column.fields)].join(' ');
  return `query ConsoleBackorders($filter: BackorderFilter, $first: Int) {
  backorders(filter: $filter, first: $first) { totalCount edges { node { ${fields} } } }
}`;
}
