import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/bound-sql';
import { conflict } from '../shared/errors';
import { StockMovedError } from './stock-moved';
import { aggregateMovements, lockStockRows, lockStockRowsById, StockMovement } from './stock-row-locks';

/** Units to reserve on one stock row; `stockLevelId` is missing when the snapshot saw no row for `key`. */
export interface StockToReserve {
  key: string;
  stockLevelId: string | undefined;
  quantity: number;
}

/**
 * Reserves units on stock rows (the allocator's PULL and TRANSFER covers), in one guarded update: a row whose free
 * stock (on hand − reserved − safety stock) no longer holds the units throws StockMovedError naming its key, and the
 * caller's transaction rolls back, so nothing is reserved. Inverse: `releaseReservedStock`.
 */
export async function reserveStock(em: EntityManager, rows: StockToReserve[]): Promise<void> {
  if (rows.length === 0) return;
  const missing = rows.filter((r) => !r.stockLevelId);
  if (missing.length > 0) throw new StockMovedError(missing.map((r) => r.key));
  await lockStockRowsById(
    em,
    rows.map((r) => r.stockLevelId!),
  );
  const updated: Array<{ id: string }> = await executeBound(
    em,
    `update stock_level s set reserved_quantity = s.reserved_quantity + r.quantity, updated_at = now()
     from json_to_recordset(?::json) as r(id uuid, quantity int)
     where s.id = r.id and s.on_hand_quantity - s.reserved_quantity - s.safety_stock >= r.quantity
     returning s.id`,
    [JSON.stringify(rows.map((r) => ({ id: r.stockLevelId, quantity: r.quantity })))],
  );
  if (updated.length !== rows.length) {
    const done = new Set(updated.map((u) => u.id));
    throw new StockMovedError(rows.filter((r) => !done.has(r.stockLevelId!)).map((r) => r.key));
  }
}

/** Reserved units given back to what new orders may take (cancelled, released). Guarded. Inverse of `reserveStock`. */
export async function releaseReservedStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  const rows = aggregateMovements(movements);
  await lockStockRows(em, rows);
  const updated: unknown[] = await em.execute(
    `update stock_level s set reserved_quantity = s.reserved_quantity - m.quantity, updated_at = now()
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku and s.reserved_quantity >= m.quantity
     returning s.id`,
    [JSON.stringify(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the reserved units to release');
}

/**
 * Reserved units leaving a warehouse (shipped, or dispatched on a transfer): on hand and reserved fall together.
 * Guarded, so a count can never go negative. Inverse: `receiveReservedStock`.
 */
export async function issueReservedStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  const rows = aggregateMovements(movements);
  await lockStockRows(em, rows);
  const updated: unknown[] = await em.execute(
    `update stock_level s set on_hand_quantity = s.on_hand_quantity - m.quantity, reserved_quantity = s.reserved_quantity - m.quantity, updated_at = now()
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku
       and s.reserved_quantity >= m.quantity and s.on_hand_quantity >= m.quantity
     returning s.id`,
    [JSON.stringify(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the reserved units this movement takes');
}

/**
 * Units arriving already promised (a transfer received for its orders): on hand and reserved rise together.
 * Creates the stock row if the product was never kept there.
 */
export async function receiveReservedStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  await lockStockRows(em, aggregateMovements(movements));
  const inserted: Array<{ sku: string }> = await em.execute(
    `insert into stock_level as s (id, sku, warehouse_id, on_hand_quantity, reserved_quantity)
     select gen_random_uuid(), m.sku, w.id, sum(m.quantity), sum(m.quantity)
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int) join warehouse w on w.code = m.warehouse_code
     group by m.sku, w.id
     on conflict (sku, warehouse_id) do update set
       on_hand_quantity = s.on_hand_quantity + excluded.on_hand_quantity,
       reserved_quantity = s.reserved_quantity + excluded.reserved_quantity,
       updated_at = now()
     returning s.sku`,
    [JSON.stringify(movements.map((m) => ({ sku: m.sku, warehouse_code: m.warehouseCode, quantity: m.quantity })))],
  );
  if (inserted.length !== new Set(movements.map((m) => `${m.sku}|${m.warehouseCode}`)).size) {
    throw conflict('A warehouse named by the movement does not exist');
  }
}
