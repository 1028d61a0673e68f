import { badInput } from './errors';

/** `first`/`after` paging with opaque cursors. Plain data: services may return a `Page`, GraphQL shows it as a connection. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  /** The largest `first` allowed (config.maxPageSize at the API); DEFAULT_MAX_PAGE_SIZE when not given. */
  maxPageSize?: number;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;
/** The cap when a caller names none: the default of config.maxPageSize. */
export const DEFAULT_MAX_PAGE_SIZE = 100;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T = unknown>(cursor: string, field = 'after'): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw badInput(`${field}: the cursor is not valid: pass an endCursor this API returned`, { field });
  }
}

/** Largest offset a cursor may carry: far beyond any real list, and always a valid SQL OFFSET. */
const MAX_CURSOR_OFFSET = 1_000_000_000;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The row offset an `after` cursor points at; BAD_USER_INPUT naming the field for anything this API did not hand out. */
export function cursorOffset(cursor: string, field = 'after'): number {
  const invalid = () => badInput(`${field}: the cursor is not valid: pass an endCursor this API returned`, { field });
  if (!CURSOR_PATTERN.test(cursor)) throw invalid();
  const decoded = decodeCursor<{ o?: unknown }>(cursor, field);
  const offset = decoded && typeof decoded === 'object' ? decoded.o : undefined;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_CURSOR_OFFSET) throw invalid();
  return offset;
}

export interface PageWindow {
  offset: number;
  limit: number;
}

/** Turns `first`/`after` into an offset window. Fetch `limit + 1` rows so `toPage` can tell whether more follow. */
export function pageWindow({ first, after, maxPageSize = DEFAULT_MAX_PAGE_SIZE }: PageRequest): PageWindow {
  const limit = first ?? Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  if (!Number.isInteger(limit) || limit < 0 || limit > maxPageSize) {
    throw badInput(`first must be an integer from 0 to ${maxPageSize}, the page size limit (maxPageSize)`, {
      field: 'first',
      reason: 'MAX_PAGE_SIZE',
      limit: maxPageSize,
    });
  }
  if (after === undefined || after === null || after === '') return { offset: 0, limit };
  return { offset: cursorOffset(after) + 1, limit };
}

/** Builds a page from rows fetched with `limit + 1` at `window.offset`. */
export function toPage<T>(rows: T[], window: PageWindow, totalCount: number): Page<T> {
  const nodes = rows.slice(0, window.limit);
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor({ o: window.offset + index }), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > window.limit, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
