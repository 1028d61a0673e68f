// Types of columns.js for the TypeScript tests (the page itself runs the .js as it is).
import type { SupplyLike } from './format.js';

/** A Backorder node as the list query returns it (JSON, so dates are ISO strings); a column reads the fields it names. */
export interface BackorderRow {
  id: string;
  orderId?: string;
  orderNumber?: string;
  customerId?: string;
  priority?: string;
  sku?: string;
  quantity?: number;
  backorderedQuantity?: number;
  supply?: SupplyLike[];
  coverage?: string;
  coveredQuantity?: number;
  uncoveredQuantity?: number;
  eta?: string | null;
  overdue?: boolean;
  placedAt?: string;
  [field: string]: unknown;
}

export interface BackorderColumn {
  header: string;
  /** The Backorder fields this column needs, as GraphQL selection text. */
  fields: string;
  opensOrder?: boolean;
  numeric?: boolean;
  cell(backorder: BackorderRow, now: number): string;
}
export const BACKORDER_COLUMNS: BackorderColumn[];
export const PAGE_SIZE: number;
export function backordersQuery(columns?: BackorderColumn[]): string;
