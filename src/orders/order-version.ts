import { formatOrderNumber } from '../shared/document-numbers';
import { badInput, conflict } from '../shared/errors';
import type { LockedOrder } from './order-status-sync';

/**
 * Optimistic concurrency for people acting on orders: the caller locked the order (`lockOrder`, select … for
 * update) in the transaction that will change it, so the version it compares cannot move before it commits. Two
 * agents who saw the same version cannot both pass: the second waits for the first's lock, then sees a newer version.
 */
export function requireVersion(order: LockedOrder, expectedVersion: number): void {
  requireRecordVersion(`Order ${formatOrderNumber(order.number)}`, order.version, expectedVersion);
}

/** The same check for any versioned record a person acts on (returns, loans), locked by the caller. */
export function requireRecordVersion(reference: string, currentVersion: number, expectedVersion: number): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
    throw badInput('expectedVersion must be a whole number of at least 1', { field: 'expectedVersion' });
  }
  if (currentVersion !== expectedVersion) {
    throw conflict(`${reference} has changed since version ${expectedVersion}: it is at version ${currentVersion}; reload it and try again`, {
      expectedVersion,
      currentVersion,
    });
  }
}
