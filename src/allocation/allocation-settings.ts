import { FulfilmentPolicy } from '../orders/order.enums';
import { badInput } from '../shared/errors';

/** How the allocator chooses between pulling, transferring, waiting and drop shipping. Plain data, no ORM. */
export interface AllocationSettings {
  defaultFulfilmentPolicy: FulfilmentPolicy;
  maxWarehousesPerOrder: number;
  /** A transfer beats a split shipment when it arrives at most this many days later. */
  preferTransferWithinDays: number;
  allowDropShip: boolean;
  weights: AllocationWeights;
}

export interface AllocationWeights {
  eta: number;
  cost: number;
  parcels: number;
}

type Nullable<T> = { [K in keyof T]?: T[K] | null };

/** A partial update: fields left out or null keep their value. */
export type AllocationSettingsPatch = Nullable<Omit<AllocationSettings, 'weights'>> & { weights?: Nullable<AllocationWeights> | null };

export const DEFAULT_ALLOCATION_SETTINGS: Readonly<AllocationSettings> = Object.freeze({
  defaultFulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
  maxWarehousesPerOrder: 3,
  preferTransferWithinDays: 2,
  allowDropShip: true,
  weights: Object.freeze({ eta: 1, cost: 0.1, parcels: 2 }),
});

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Drops null and undefined values, so a patch only changes what it names. */
function definedOnly<T extends object>(patch: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined && value !== null)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

/** Applies a patch to settings; the result is not validated yet (see `validateAllocationSettings`). */
export function mergeAllocationSettings(base: AllocationSettings, patch: AllocationSettingsPatch): AllocationSettings {
  const { weights, ...rest } = patch;
  return {
    ...base,
    ...definedOnly(rest),
    weights: { ...base.weights, ...(isPlainObject(weights) ? definedOnly(weights) : {}) },
  };
}

/** Every problem with the settings, as sentences; empty when they are valid. */
export function allocationSettingsProblems(settings: AllocationSettings): string[] {
  const problems: string[] = [];
  if (!Object.values(FulfilmentPolicy).includes(settings.defaultFulfilmentPolicy)) {
    problems.push(`defaultFulfilmentPolicy must be one of ${Object.values(FulfilmentPolicy).join(', ')}`);
  }
  if (!Number.isInteger(settings.maxWarehousesPerOrder) || settings.maxWarehousesPerOrder < 1) {
    problems.push('maxWarehousesPerOrder must be an integer of at least 1');
  }
  if (!Number.isInteger(settings.preferTransferWithinDays) || settings.preferTransferWithinDays < 0) {
    problems.push('preferTransferWithinDays must be an integer of at least 0');
  }
  if (typeof settings.allowDropShip !== 'boolean') problems.push('allowDropShip must be true or false');
  for (const name of ['eta', 'cost', 'parcels'] as const) {
    const weight = settings.weights[name];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) problems.push(`weights.${name} must be a number of at least 0`);
  }
  return problems;
}

export function validateAllocationSettings(settings: AllocationSettings): AllocationSettings {
  const problems = allocationSettingsProblems(settings);
  if (problems.length > 0) throw badInput(`Invalid allocation settings: ${problems.join('; ')}`, { problems });
  return settings;
}

/**
 * Reads the stored JSON document. Anything missing or no longer valid falls back to its default one field at a
 * time, so a stored row written by an older version never stops allocation.
 */
export function allocationSettingsFromJson(stored: unknown): AllocationSettings {
  const defaults: AllocationSettings = { ...DEFAULT_ALLOCATION_SETTINGS, weights: { ...DEFAULT_ALLOCATION_SETTINGS.weights } };
  if (!isPlainObject(stored)) return defaults;
  const result = { ...defaults, weights: { ...defaults.weights } };
  for (const key of ['defaultFulfilmentPolicy', 'maxWarehousesPerOrder', 'preferTransferWithinDays', 'allowDropShip'] as const) {
    if (stored[key] === undefined) continue;
    const candidate = { ...defaults, [key]: stored[key] } as AllocationSettings;
    if (allocationSettingsProblems(candidate).length === 0) Object.assign(result, { [key]: stored[key] });
  }
  if (isPlainObject(stored.weights)) {
    for (const key of ['eta', 'cost', 'parcels'] as const) {
      const value = stored.weights[key];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) result.weights[key] = value;
    }
  }
  return result;
}
