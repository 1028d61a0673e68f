import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { sqlArray } from '../db/sql';

/** A count of units of one SKU in one warehouse, as stock movements and reservations take them. */
export interface StockMovement {
  sku: string;
  warehouseCode: string;
  quantity: number;
}

export interface StockRow {
  sku: string;
  warehouse_code: string;
  quantity: number;
}

/**
 * Locks the stock rows a multi-row change will touch, in id order. Every multi-row stock change (reservations,
 * stock movements, the allocation applier) locks this way first, so two of them can never wait on each other in a
 * cycle.
 */
export async function lockStockRows(em: EntityManager, rows: Array<{ sku: string; warehouse_code: string }>): Promise<void> {
  if (rows.length < 2) return;
  await em.execute(
    `select s.id from stock_level s join warehouse w on w.id = s.warehouse_id
     join json_to_recordset(?::json) as m(sku text, warehouse_code text) on m.sku = s.sku and m.warehouse_code = w.code
     order by s.id for update of s`,
    [JSON.stringify(rows)],
  );
}

/** The same lock, for rows known by id. */
export async function lockStockRowsById(em: EntityManager, ids: string[]): Promise<void> {
  await executeBound(em, `select id from stock_level where id = any(?::uuid[]) order by id for update`, [sqlArray(ids)]);
}

/** Movements summed per SKU and warehouse, as the set-based statements take them. */
export function aggregateMovements(movements: StockMovement[]): StockRow[] {
  const sums = new Map<string, StockRow>();
  for (const m of movements) {
    const key = `${m.sku}|${m.warehouseCode}`;
    const row = sums.get(key) ?? { sku: m.sku, warehouse_code: m.warehouseCode, quantity: 0 };
    row.quantity += m.quantity;
    sums.set(key, row);
  }
  return [...sums.values()];
}
