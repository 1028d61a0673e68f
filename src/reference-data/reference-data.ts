import { AllocationSettings, allocationSettingsFromJson } from '../allocation/allocation-settings';
import { planningPolicyOf } from '../allocation/planning-policy';
import { STORED_ALLOCATION_SETTINGS_SQL } from '../allocation/read-allocation-settings';
import type { PlanningPolicy, WarehouseNode } from '../allocation/planning.types';
import type { FulfilmentPolicy } from '../orders/order.enums';

/**
 * What every planning run reads and almost nothing changes: the warehouse network, the allocation settings and the
 * sales channels' default fulfilment policies. Plain data, frozen: share it, never change it.
 */
export interface ReferenceData {
  /** The `reference_data_version` this data belongs to. */
  readonly version: number;
  /** Every warehouse, active or not, by code, each with its shipping and transfer lanes (by region, by destination). */
  readonly warehouses: readonly WarehouseNode[];
  readonly settings: Readonly<AllocationSettings>;
  /** The settings as the planner takes them. */
  readonly policy: Readonly<PlanningPolicy>;
  /** Channels with a default fulfilment policy of their own (channels without a row have none). */
  readonly channelPolicies: ReadonlyMap<string, FulfilmentPolicy>;
}

/** The JSON the reference statement returns (see `referenceDataJson`). */
export interface ReferenceDataRows {
  warehouses: Array<{ code: string; active: boolean }>;
  shipping_lanes: Array<{ code: string; region: string; days: number; cost: number }>;
  transfer_lanes: Array<{ from_code: string; to_code: string; days: number; cost: number }>;
  settings: unknown;
  channels: Array<{ channel: string; fulfilment_policy: FulfilmentPolicy | null }>;
}

const jsonRows = (query: string) => `(select coalesce(json_agg(t), '[]'::json) from (${query}) t)`;

/** One JSON value holding every reference row, read in the statement it is part of (so in its snapshot). */
export const REFERENCE_DATA_JSON = `json_build_object(
  'warehouses', ${jsonRows(`select code, active from warehouse order by code`)},
  'shipping_lanes', ${jsonRows(`select w.code, l.region, l.days, l.cost from shipping_lane l join warehouse w on w.id = l.warehouse_id order by w.code, l.region`)},
  'transfer_lanes', ${jsonRows(`select f.code as from_code, t.code as to_code, l.days, l.cost
                                from transfer_lane l join warehouse f on f.id = l.from_warehouse_id join warehouse t on t.id = l.to_warehouse_id
                                order by f.code, t.code`)},
  'settings', ${STORED_ALLOCATION_SETTINGS_SQL},
  'channels', ${jsonRows(`select channel, fulfilment_policy from sales_channel where fulfilment_policy is not null order by channel`)})`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function referenceDataFrom(version: number, rows: ReferenceDataRows): ReferenceData {
  const warehouses: WarehouseNode[] = rows.warehouses.map((w) => ({
    code: w.code,
    active: w.active,
    shippingLanes: rows.shipping_lanes.filter((l) => l.code === w.code).map((l) => ({ region: l.region, days: l.days, cost: Number(l.cost) })),
    transferLanes: rows.transfer_lanes
      .filter((l) => l.from_code === w.code)
      .map((l) => ({ toWarehouseCode: l.to_code, days: l.days, cost: Number(l.cost) })),
  }));
  const settings = allocationSettingsFromJson(rows.settings);
  const channelPolicies = new Map(rows.channels.filter((c) => c.fulfilment_policy !== null).map((c) => [c.channel, c.fulfilment_policy!]));
  return deepFreeze({ version, warehouses, settings, policy: planningPolicyOf(settings), channelPolicies });
}
