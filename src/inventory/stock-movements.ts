import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../shared/errors';

export interface StockMovement {
  sku: string;
  warehouseCode: string;
  quantity: number;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * Locks the stock rows a multi-row change will touch, in id order. Every multi-row stock change (here and in the
 * allocation applier) locks this way first, so two of them can never wait on each other in a cycle.
 */
async function lockStockRows(em: EntityManager, rows: Array<{ sku: string; warehouse_code: string }>): Promise<void> {
  if (rows.length < 2) return;
  await em.execute(
    `select s.id from stock_level s join warehouse w on w.id = s.warehouse_id
     join jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text) on m.sku = s.sku and m.warehouse_code = w.code
     order by s.id for update of s`,
    [json(rows)],
  );
}

/**
 * Goods arriving at a warehouse (receipts, transfers in). With `reserve`, the units arrive already promised
 * (a transfer for an order). Creates the stock row if the product was never kept there.
 */
export async function receiveIntoStock(em: EntityManager, movements: StockMovement[], reserve = false): Promise<void> {
  if (movements.length === 0) return;
  await lockStockRows(em, aggregate(movements));
  const inserted: Array<{ sku: string }> = await em.execute(
    `insert into stock_level as s (id, sku, warehouse_id, on_hand_quantity, reserved_quantity)
     select gen_random_uuid(), m.sku, w.id, sum(m.quantity), case when ? then sum(m.quantity) else 0 end
     from jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text, quantity int) join warehouse w on w.code = m.warehouse_code
     group by m.sku, w.id
     on conflict (sku, warehouse_id) do update set
       on_hand_quantity = s.on_hand_quantity + excluded.on_hand_quantity,
       reserved_quantity = s.reserved_quantity + excluded.reserved_quantity,
       updated_at = now()
     returning s.sku`,
    [reserve, json(movements.map((m) => ({ sku: m.sku, warehouse_code: m.warehouseCode, quantity: m.quantity })))],
  );
  if (inserted.length !== new Set(movements.map((m) => `${m.sku}|${m.warehouseCode}`)).size) {
    throw conflict('A warehouse named by the movement does not exist');
  }
}

/**
 * Reserved units leaving a warehouse (shipped, or dispatched on a transfer): on hand and reserved fall together.
 * Guarded, so a count can never go negative.
 */
export async function issueReservedStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  const rows = aggregate(movements);
  await lockStockRows(em, rows);
  const updated: unknown[] = await em.execute(
    `update stock_level s set on_hand_quantity = s.on_hand_quantity - m.quantity, reserved_quantity = s.reserved_quantity - m.quantity, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku
       and s.reserved_quantity >= m.quantity and s.on_hand_quantity >= m.quantity
     returning s.id`,
    [json(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the reserved units this movement takes');
}

/** Reserved units given back to what new orders may take (a cancelled line). */
export async function releaseReservedStock(em: EntityManager, movements: StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  const rows = aggregate(movements);
  await lockStockRows(em, rows);
  const updated: unknown[] = await em.execute(
    `update stock_level s set reserved_quantity = s.reserved_quantity - m.quantity, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku and s.reserved_quantity >= m.quantity
     returning s.id`,
    [json(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the reserved units to release');
}

function aggregate(movements: StockMovement[]): Array<{ sku: string; warehouse_code: string; quantity: number }> {
  const sums = new Map<string, { sku: string; warehouse_code: string; quantity: number }>();
  for (const m of movements) {
    const key = `${m.sku}|${m.warehouseCode}`;
    const row = sums.get(key) ?? { sku: m.sku, warehouse_code: m.warehouseCode, quantity: 0 };
    row.quantity += m.quantity;
    sums.set(key, row);
  }
  return [...sums.values()];
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
     from jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text, quantity int), warehouse w
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
     from jsonb_to_recordset(?::jsonb) as m(sku text, warehouse_code text, quantity int), warehouse w
     where w.code = m.warehouse_code and s.warehouse_id = w.id and s.sku = m.sku and s.on_loan_quantity >= m.quantity
     returning s.id`,
    [back, json(rows)],
  );
  if (updated.length !== rows.length) throw conflict('Stock counts do not hold the lent units this movement settles');
}
