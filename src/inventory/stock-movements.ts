import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../shared/errors';
import { aggregateMovements as aggregate, lockStockRows, StockMovement } from '../reservations';

export type { StockMovement } from '../reservations';

const json = (value: unknown) => JSON.stringify(value);

/**
 * Goods arriving at a warehouse free for any order (receipts, returns). Creates the stock row if the product was
 * never kept there. Units that arrive already promised (a transfer) go through src/reservations.
 */
export async function receiveIntoStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  await lockStockRows(em, aggregate(movements));
  const inserted: Array<{ sku: string }> = await em.execute(
    `insert into stock_level as s (id, sku, warehouse_id, on_hand_quantity, reserved_quantity)
     select gen_random_uuid(), m.sku, w.id, sum(m.quantity), 0
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int) join warehouse w on w.code = m.warehouse_code
     group by m.sku, w.id
     on conflict (sku, warehouse_id) do update set
       on_hand_quantity = s.on_hand_quantity + excluded.on_hand_quantity,
       updated_at = now()
     returning s.sku`,
    [json(movements.map((m) => ({ sku: m.sku, warehouse_code: m.warehouseCode, quantity: m.quantity })))],
  );
  if (inserted.length !== new Set(movements.map((m) => `${m.sku}|${m.warehouseCode}`)).size) {
    throw conflict('A warehouse named by the movement does not exist');
  }
}

/**
 * Units lent to a customer: they leave on hand for on loan (still owned, no longer available). Only available units
 * are lent (on hand − reserved − safety stock), so reservations keep every unit they count on. Returns the
 * movements that could not be lent (empty when all were).
 */
export async function lendFromStock(em: EntityManager, movements: StockMovement[]): Promise<StockMovement[]> {
  const rows = aggregate(movements);
  await lockStockRows(em, rows);
  const updated: Array<{ sku: string; code: string }> = await em.execute(
    `update stock_level s set on_hand_quantity = s.on_hand_quantity - m.quantity, on_loan_quantity = s.on_loan_quantity + m.quantity, updated_at = now()
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku
       and s.on_hand_quantity - s.reserved_quantity - s.safety_stock >= m.quantity
     returning s.sku, w.code`,
    [json(rows)],
  );
  return rows
    .filter((r) => !updated.some((u) => u.sku === r.sku && u.code === r.warehouse_code))
    .map((r) => ({ sku: r.sku, warehouseCode: r.warehouse_code, quantity: r.quantity }));
}

/** Lent units coming back (`back: true`: on hand again) or sold to the customer (they leave stock). Guarded. */
export async function settleLentStock(em: EntityManager, movements: StockMovement[], back: boolean): Promise<void> {
  if (movements.length === 0) return;
  const rows = aggregate(movements);
  await lockStockRows(em, rows);
  const updated: unknown[] = await em.execute(
    `update stock_level s set on_loan_quantity = s.on_loan_quantity - m.quantity,
       on_hand_quantity = s.on_hand_quantity + case when ? then m.quantity else 0 end, updated_at = now()
     from json_to_recordset(?::json) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku and s.on_loan_quantity >= m.quantity
     returning s.id`,
    [back, json(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the lent units this movement settles');
}
