import type { EntityManager } from '@mikro-orm/postgresql';
import { AllocationSettings, allocationSettingsFromJson } from './allocation-settings';

/**
 * The stored settings document as a scalar subquery, for statements that read it with other rows in one snapshot
 * (the reference data); null when the row is missing. Parse what it returns with `allocationSettingsFromJson`.
 */
export const STORED_ALLOCATION_SETTINGS_SQL = `(select settings from allocation_settings where id = 1)`;

/**
 * The one reader of the allocation settings (the API, placement defaults, quotes and the planner all come here or
 * through the reference data): the single row, id 1, in the caller's transaction; missing or invalid fields are
 * their defaults. `forUpdate` locks the row for a read-modify-write.
 */
export async function readAllocationSettings(em: EntityManager, options: { forUpdate?: boolean } = {}): Promise<AllocationSettings> {
  const rows = await em.execute<Array<{ settings: unknown }>>(
    `select settings from allocation_settings where id = 1${options.forUpdate ? ' for update' : ''}`,
  );
  return allocationSettingsFromJson(rows[0]?.settings);
}
