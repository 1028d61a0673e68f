import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { bumpReferenceVersion } from '../reference-data/reference-cache';
import { badInput } from '../shared/errors';
import { sqlArray } from '../db/sql';

export interface ShippingLaneView {
  region: string;
  days: number;
  cost: number;
}

export interface TransferLaneView {
  toWarehouseCode: string;
  days: number;
  cost: number;
}

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  region: string;
  active: boolean;
  shippingLanes: ShippingLaneView[];
  transferLanes: TransferLaneView[];
}

/** Lanes given replace the warehouse's lanes of that kind; lanes left out (null or undefined) stay as they are. */
export interface WarehouseInput {
  code: string;
  name: string;
  region: string;
  active?: boolean | null;
  shippingLanes?: ShippingLaneView[] | null;
  transferLanes?: TransferLaneView[] | null;
}

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function requireText(value: string, field: string, max = 200): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed.length > max) throw badInput(`${field} must be between 1 and ${max} characters`);
  return trimmed;
}

function checkLane(days: number, cost: number, label: string): void {
  if (!Number.isInteger(days) || days < 0) throw badInput(`${label}: days must be an integer of at least 0`);
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) throw badInput(`${label}: cost must be a number of at least 0`);
}

export class WarehouseService {
  constructor(private readonly orm: MikroORM) {}

  async upsertWarehouse(input: WarehouseInput): Promise<WarehouseView> {
    const code = requireText(input.code, 'code', 64);
    if (!CODE_PATTERN.test(code)) throw badInput('code may hold letters, digits, ".", "_" and "-" only');
    const name = requireText(input.name, 'name');
    const region = requireText(input.region, 'region', 64);
    const shippingLanes = input.shippingLanes?.map((lane) => {
      const laneRegion = requireText(lane.region, 'shippingLanes.region', 64);
      checkLane(lane.days, lane.cost ?? 0, `shipping lane to ${laneRegion}`);
      return { region: laneRegion, days: lane.days, cost: lane.cost ?? 0 };
    });
    if (shippingLanes && new Set(shippingLanes.map((l) => l.region)).size !== shippingLanes.length) {
      throw badInput('shippingLanes names a region more than once');
    }
    const transferLanes = input.transferLanes?.map((lane) => {
      const to = requireText(lane.toWarehouseCode, 'transferLanes.toWarehouseCode', 64);
      if (to === code) throw badInput(`A transfer lane cannot lead from ${code} to itself`);
      checkLane(lane.days, lane.cost ?? 0, `transfer lane to ${to}`);
      return { toWarehouseCode: to, days: lane.days, cost: lane.cost ?? 0 };
    });
    if (transferLanes && new Set(transferLanes.map((l) => l.toWarehouseCode)).size !== transferLanes.length) {
      throw badInput('transferLanes names a warehouse more than once');
    }

    const id = await this.orm.em.fork().transactional(async (em) => {
      const [row] = await em.execute<Array<{ id: string }>>(
        `insert into warehouse (id, code, name, region, active) values (gen_random_uuid(), ?, ?, ?, coalesce(?::boolean, true))
         on conflict (code) do update set name = excluded.name, region = excluded.region,
           active = coalesce(?::boolean, warehouse.active)
         returning id`,
        [code, name, region, input.active ?? null, input.active ?? null],
      );
      if (shippingLanes) {
        await em.execute('delete from shipping_lane where warehouse_id = ?', [row.id]);
        if (shippingLanes.length > 0) {
          await em.execute(
            `insert into shipping_lane (id, warehouse_id, region, days, cost)
             select gen_random_uuid(), ?, l.region, l.days, l.cost from json_to_recordset(?::json) as l(region text, days int, cost float8)`,
            [row.id, JSON.stringify(shippingLanes)],
          );
        }
      }
      if (transferLanes) await this.replaceTransferLanes(em, row.id, transferLanes);
      await bumpReferenceVersion(em);
      return row.id;
    });
    const [view] = await this.loadViews(this.orm.em.fork(), id);
    return view;
  }

  async listWarehouses(em: EntityManager = this.orm.em.fork()): Promise<WarehouseView[]> {
    return this.loadViews(em);
  }

  private async replaceTransferLanes(em: EntityManager, fromId: string, lanes: TransferLaneView[]): Promise<void> {
    const codes = lanes.map((lane) => lane.toWarehouseCode);
    const known =
      codes.length === 0
        ? []
        : await em.execute<Array<{ id: string; code: string }>>('select id, code from warehouse where code = any(?::text[])', [sqlArray(codes)]);
    const idByCode = new Map(known.map((w) => [w.code, w.id]));
    const unknown = codes.filter((c) => !idByCode.has(c));
    if (unknown.length > 0) throw badInput(`Unknown warehouse code in transferLanes: ${unknown.join(', ')}`, { unknown });
    await em.execute('delete from transfer_lane where from_warehouse_id = ?', [fromId]);
    if (lanes.length === 0) return;
    await em.execute(
      `insert into transfer_lane (id, from_warehouse_id, to_warehouse_id, days, cost)
       select gen_random_uuid(), ?, l.to_id, l.days, l.cost from json_to_recordset(?::json) as l(to_id uuid, days int, cost float8)`,
      [fromId, JSON.stringify(lanes.map((l) => ({ to_id: idByCode.get(l.toWarehouseCode), days: l.days, cost: l.cost })))],
    );
  }

  private async loadViews(em: EntityManager, onlyId?: string): Promise<WarehouseView[]> {
    const warehouses = await em.execute<Array<{ id: string; code: string; name: string; region: string; active: boolean }>>(
      `select id, code, name, region, active from warehouse ${onlyId ? 'where id = ?' : ''} order by code`,
      onlyId ? [onlyId] : [],
    );
    if (warehouses.length === 0) return [];
    const ids = warehouses.map((w) => w.id);
    const shipping = await em.execute<Array<{ warehouse_id: string; region: string; days: number; cost: number }>>(
      'select warehouse_id, region, days, cost from shipping_lane where warehouse_id = any(?::uuid[]) order by region',
      [sqlArray(ids)],
    );
    const transfer = await em.execute<Array<{ from_warehouse_id: string; to_code: string; days: number; cost: number }>>(
      `select l.from_warehouse_id, w.code as to_code, l.days, l.cost
       from transfer_lane l join warehouse w on w.id = l.to_warehouse_id
       where l.from_warehouse_id = any(?::uuid[]) order by w.code`,
      [sqlArray(ids)],
    );
    return warehouses.map((w) => ({
      ...w,
      shippingLanes: shipping.filter((l) => l.warehouse_id === w.id).map((l) => ({ region: l.region, days: l.days, cost: Number(l.cost) })),
      transferLanes: transfer
        .filter((l) => l.from_warehouse_id === w.id)
        .map((l) => ({ toWarehouseCode: l.to_code, days: l.days, cost: Number(l.cost) })),
    }));
  }
}
