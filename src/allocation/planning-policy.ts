import type { EntityManager } from '@mikro-orm/postgresql';
import { allocationSettingsFromJson } from './allocation-settings';
import type { PlanningPolicy } from './planning.types';

/** The deployment's allocation settings as the planner takes them, read in the caller's transaction. */
export async function loadPlanningPolicy(em: EntityManager): Promise<PlanningPolicy> {
  const rows: Array<{ settings: unknown }> = await em.execute('select settings from allocation_settings where id = 1');
  const { maxWarehousesPerOrder, preferTransferWithinDays, allowDropShip, weights } = allocationSettingsFromJson(rows[0]?.settings);
  return { maxWarehousesPerOrder, preferTransferWithinDays, allowDropShip, weights };
}
