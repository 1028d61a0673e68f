import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { sqlStatusList } from '../db/sql';
import { ALLOCATED_STATUSES } from '../orders/order-lifecycle';
import { requestAllocation } from '../outbox/outbox';
import { bumpReferenceVersion } from '../reference-data/reference-cache';
import { AllocationSettings, AllocationSettingsPatch, mergeAllocationSettings, validateAllocationSettings } from './allocation-settings';
import { readAllocationSettings } from './read-allocation-settings';

/** Reads and writes the single `allocation_settings` row (id 1); a missing row means the defaults. */
export class AllocationSettingsService {
  constructor(private readonly orm: MikroORM) {}

  /** Pass the request's em inside a read snapshot: a second connection per request could starve the pool. */
  async get(em: EntityManager = this.orm.em.fork()): Promise<AllocationSettings> {
    return readAllocationSettings(em);
  }

  /**
   * Merges the patch into the stored settings under a row lock, so two concurrent updates both land, and asks the
   * allocator to plan every open backorder again under the new settings.
   */
  async update(patch: AllocationSettingsPatch): Promise<AllocationSettings> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(`insert into allocation_settings (id, settings) values (1, '{}'::jsonb) on conflict (id) do nothing`);
      const stored = await readAllocationSettings(em, { forUpdate: true });
      const next = validateAllocationSettings(mergeAllocationSettings(stored, patch));
      await em.execute('update allocation_settings set settings = ?::jsonb, updated_at = now() where id = 1', [JSON.stringify(next)]);
      const waiting = await em.execute<Array<{ sku: string }>>(
        `select distinct l.sku from order_line l join sales_order o on o.id = l.order_id
         where l.backordered_quantity > 0 and o.status in ${sqlStatusList(ALLOCATED_STATUSES)}`,
      );
      await requestAllocation(
        em,
        waiting.map(({ sku }) => ({ sku })),
        'allocation settings changed',
      );
      await bumpReferenceVersion(em);
      return next;
    });
  }
}
