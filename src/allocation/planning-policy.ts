import type { EntityManager } from '@mikro-orm/postgresql';
import type { AllocationSettings } from './allocation-settings';
import { readAllocationSettings } from './read-allocation-settings';
import type { PlanningPolicy } from './planning.types';

/** The part of the allocation settings the planner takes. */
export function planningPolicyOf({ maxWarehousesPerOrder, preferTransferWithinDays, allowDropShip, weights }: AllocationSettings): PlanningPolicy {
  return { maxWarehousesPerOrder, preferTransferWithinDays, allowDropShip, weights };
}

/** The deployment's allocation settings as the planner takes them, read in the caller's transaction. */
export async function loadPlanningPolicy(em: EntityManager): Promise<PlanningPolicy> {
  return planningPolicyOf(await readAllocationSettings(em));
}
