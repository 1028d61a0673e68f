import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { sqlArray } from '../db/sql';

/** One `allocation` row the applier writes for a planned cover (status ACTIVE by default). */
export interface NewAllocationRow {
  id: string;
  order_id: string;
  order_line_id: string;
  kind: string;
  sku: string;
  quantity: number;
  warehouse_code: string | null;
  source_warehouse_code: string | null;
  /** JSON.stringify writes a Date as its ISO text. */
  eta: Date | string;
  reason: string;
  purchase_order_line_id: string | null;
  transfer_id: string | null;
  shipment_id: string | null;
}

/** Writes the covers of a plan, in one statement. Inverse: `releaseAllocations` (and `dropWaitingCovers` for waits). */
export async function recordAllocations(em: EntityManager, rows: NewAllocationRow[]): Promise<void> {
  if (rows.length === 0) return;
  await executeBound(
    em,
    `insert into allocation (id, order_id, order_line_id, kind, sku, quantity, warehouse_code, source_warehouse_code, eta, reason,
                             purchase_order_line_id, transfer_id, shipment_id)
     select * from json_to_recordset(?::json) as r(id uuid, order_id uuid, order_line_id uuid, kind text, sku text, quantity int,
       warehouse_code text, source_warehouse_code text, eta timestamptz, reason text, purchase_order_line_id uuid, transfer_id uuid, shipment_id uuid)`,
    [JSON.stringify(rows)],
  );
}

/**
 * Removes the active WAIT covers of lines about to be planned again: a wait holds no stock, so the plan simply
 * writes the waits it still wants.
 */
export async function dropWaitingCovers(em: EntityManager, orderLineIds: string[]): Promise<void> {
  if (orderLineIds.length === 0) return;
  await executeBound(em, `delete from allocation where order_line_id = any(?::uuid[]) and kind = 'WAIT' and status = 'ACTIVE'`, [
    sqlArray(orderLineIds),
  ]);
}

/** `take` units off an allocation row that held `quantity` when the caller read it (under its order's lock). */
export interface AllocationTake {
  id: string;
  quantity: number;
  take: number;
}

/**
 * Gives back units of allocation rows: a row that gives all it holds becomes RELEASED (its quantity kept as a
 * record), one that gives part holds less. Only the rows; the stock they reserved is given back by
 * `releaseReservedStock`. Inverse of `recordAllocations`.
 */
export async function releaseAllocations(em: EntityManager, takes: AllocationTake[]): Promise<void> {
  const rows = takes.filter((t) => t.take > 0).map((t) => ({ id: t.id, take: t.take, whole: t.take === t.quantity }));
  if (rows.length === 0) return;
  await executeBound(
    em,
    `update allocation a set status = case when r.whole then 'RELEASED' else a.status end,
                             quantity = case when r.whole then a.quantity else a.quantity - r.take end
     from json_to_recordset(?::json) as r(id uuid, take int, whole boolean)
     where a.id = r.id`,
    [JSON.stringify(rows)],
  );
}
