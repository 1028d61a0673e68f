// Types of columns.js for the TypeScript tests (the page itself runs the .js as it is).
export interface BackorderColumn {
  header: string;
  /** The Backorder fields this column needs, as GraphQL selection text. */
  fields: string;
  opensOrder?: boolean;
  numeric?: boolean;
  cell(backorder: any, now: number): string;
}
export const BACKORDER_COLUMNS: BackorderColumn[];
export const PAGE_SIZE: number;
export function backordersQuery(columns?: BackorderColumn[]): string;
