// Types of format.js for the TypeScript tests (the page itself runs the .js as it is).
export function formatDate(iso: string | null | undefined): string;
export function formatDateTime(iso: string | null | undefined): string;
export function formatAge(iso: string, now?: number): string;
export function backorderFilter(values: Record<string, unknown>): Record<string, string>;
export interface ApiErrorLike {
  code?: string;
  message?: string;
  details?: { expectedVersion?: number; currentVersion?: number };
}
export function versionConflict(error: ApiErrorLike | null | undefined): { expectedVersion?: number; currentVersion: number } | null;
export function describeError(error: ApiErrorLike | null | undefined, orderNumber?: string): string;
export function coalesce(
  task: () => Promise<void> | void,
  delayMs: number,
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void },
): (() => void) & { cancel(): void };
export interface SupplyLike {
  kind: string;
  quantity: number;
  eta?: string | null;
  queuePosition: number;
  unitsAhead: number;
  purchaseOrder?: { number: string } | null;
  transfer?: { number: string } | null;
}
export function formatSupply(supply: SupplyLike[] | null | undefined): string;
