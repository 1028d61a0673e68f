import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AllocationSettings,
  AllocationSettingsPatch,
  allocationSettingsFromJson,
  mergeAllocationSettings,
  validateAllocationSettings,
} from './allocation-settings';

/** Reads and writes the single `allocation_settings` row (id 1); a missing row means the defaults. */
export class AllocationSettingsService {
  constructor(private readonly orm: MikroORM) {}

  async get(): Promise<AllocationSettings> {
    const rows = await this.orm.em.fork().execute<Array<{ settings: unknown }>>('select settings from allocation_settings where id = 1');
    return allocationSettingsFromJson(rows[0]?.settings);
  }

  /** Merges the patch into the stored settings under a row lock, so two concurrent updates both land. */
  async update(patch: AllocationSettingsPatch): Promise<AllocationSettings> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(`insert into allocation_settings (id, settings) values (1, '{}'::jsonb) on conflict (id) do nothing`);
      const rows = await em.execute<Array<{ settings: unknown }>>('select settings from allocation_settings where id = 1 for update');
      const next = validateAllocationSettings(mergeAllocationSettings(allocationSettingsFromJson(rows[0]?.settings), patch));
      await em.execute('update allocation_settings set settings = ?::jsonb, updated_at = now() where id = 1', [JSON.stringify(next)]);
      return next;
    });
  }
}
