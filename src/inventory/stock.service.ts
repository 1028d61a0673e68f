import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { sqlStatusList } from '../db/sql';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { INBOUND_PURCHASE_ORDER_STATUSES } from '../purchasing/purchase-order.entity';
import { IN_FLIGHT_TRANSFER_STATUSES } from '../transfers/transfer.entity';
import { releaseReservations } from './release-reservations';
import { badInput, conflict, notFound } from '../shared/errors';
import { MAX_ON_HAND } from '../shared/input-checks';
import type { Logger } from '../shared/logger';

export interface StockLevelView {
  sku: string;
  warehouseCode: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** Lent to customers from here: owned, not on hand, not available (owned = onHand + onLoan). */
  onLoan: number;
  /** onHand − reserved − safetyStock, never below 0: what a new order can take now. */
  available: number;
  /** Open purchase order quantity plus planned or dispatched transfers into this warehouse. */
  incoming: number;
}

export interface StockAdjustmentInput {
  sku: string;
  warehouseCode: string;
  delta: number;
  reason: string;
  /**
   * When the count falls below what is reserved: give reservations back (lowest priority, newest orders first),
   * back to the backorder list and planned anew, instead of refusing.
   */
  releaseReservations?: boolean | null;
}

interface StockRow {
  sku: string;
  warehouse_code: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  on_loan: number;
  incoming: number;
}

/** Active warehouses, or the one named (active or not), crossed with one product; missing stock rows count as 0. */
const STOCK_LEVELS_SQL = `
  select p.sku, w.code as warehouse_code,
    coalesce(s.on_hand_quantity, 0) as on_hand,
    coalesce(s.reserved_quantity, 0) as reserved,
    coalesce(s.safety_stock, 0) as safety_stock,
    coalesce(s.on_loan_quantity, 0) as on_loan,
    (coalesce((select sum(pol.quantity - pol.received_quantity)
               from purchase_order_line pol join purchase_order po on po.id = pol.purchase_order_id
               where pol.sku = p.sku and po.warehouse_code = w.code and po.status in ${sqlStatusList(INBOUND_PURCHASE_ORDER_STATUSES)}), 0)
     + coalesce((select sum(tl.quantity - tl.received_quantity)
                 from transfer_line tl join transfer t on t.id = tl.transfer_id
                 where tl.sku = p.sku and t.to_warehouse_code = w.code and t.status in ${sqlStatusList(IN_FLIGHT_TRANSFER_STATUSES)}), 0))::int as incoming
  from product p
  cross join warehouse w
  left join stock_level s on s.sku = p.sku and s.warehouse_id = w.id
  where p.sku = ? and (case when ?::text is null then w.active else w.code = ?::text end)
  order by w.code`;

const toView = (row: StockRow): StockLevelView => ({
  sku: row.sku,
  warehouseCode: row.warehouse_code,
  onHand: row.on_hand,
  reserved: row.reserved,
  safetyStock: row.safety_stock,
  onLoan: row.on_loan,
  available: Math.max(0, row.on_hand - row.reserved - row.safety_stock),
  incoming: row.incoming,
});

export class StockService {
  constructor(
    private readonly orm: MikroORM,
    private readonly logger?: Logger,
  ) {}

  /** One row per active warehouse; empty when the SKU is unknown. */
  async stockLevels(sku: string, em: EntityManager = this.orm.em.fork()): Promise<StockLevelView[]> {
    const rows = await em.execute<StockRow[]>(STOCK_LEVELS_SQL, [sku, null, null]);
    return rows.map(toView);
  }

  /** One product in one warehouse (active or not); null when either is unknown. */
  async stockLevel(sku: string, warehouseCode: string, em: EntityManager = this.orm.em.fork()): Promise<StockLevelView | null> {
    const rows = await em.execute<StockRow[]>(STOCK_LEVELS_SQL, [sku, warehouseCode, warehouseCode]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * Sets how many units of a SKU a warehouse keeps back from normal orders (the planner and placeOrder count only
   * on hand − reserved − safety stock as available). Units already reserved stay reserved; lowering it asks the
   * allocator to plan the SKU's backorders again at once.
   */
  async setSafetyStock(input: { sku: string; warehouseCode: string; quantity: number }): Promise<StockLevelView> {
    const sku = (input.sku ?? '').trim();
    const warehouseCode = (input.warehouseCode ?? '').trim();
    if (!Number.isInteger(input.quantity) || input.quantity < 0 || input.quantity > 1_000_000_000) {
      throw badInput('quantity must be a whole number from 0 to 1000000000', { field: 'quantity' });
    }
    return this.orm.em.fork().transactional(async (em) => {
      const [product] = await em.execute<Array<{ sku: string }>>('select sku from product where sku = ?', [sku]);
      if (!product) throw notFound(`No product with SKU ${sku}`);
      const [warehouse] = await em.execute<Array<{ id: string }>>('select id from warehouse where code = ?', [warehouseCode]);
      if (!warehouse) throw notFound(`No warehouse with code ${warehouseCode}`);
      const [before] = await em.execute<Array<{ safety_stock: number }>>(
        `insert into stock_level (id, sku, warehouse_id, safety_stock) values (gen_random_uuid(), ?, ?, ?)
         on conflict (sku, warehouse_id) do update set safety_stock = excluded.safety_stock, updated_at = now()
         returning (select s.safety_stock from stock_level s where s.sku = ? and s.warehouse_id = ?) as safety_stock`,
        [sku, warehouse.id, input.quantity, sku, warehouse.id],
      );
      if ((before?.safety_stock ?? 0) !== input.quantity) {
        await requestAllocation(em, [{ sku }], 'safety stock changed');
        await announceStockChanges(em, [{ sku, warehouseCode }]);
      }
      return (await this.stockLevel(sku, warehouseCode, em))!;
    });
  }

  /**
   * Adds `delta` units on hand (negative to remove) in one transaction. The guarded update never takes on hand
   * below what is reserved, whatever runs at the same time; the allocator is asked to plan the SKU again.
   */
  async adjustStock(input: StockAdjustmentInput): Promise<StockLevelView> {
    const sku = (input.sku ?? '').trim();
    const warehouseCode = (input.warehouseCode ?? '').trim();
    const reason = (input.reason ?? '').trim();
    if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_ON_HAND) {
      throw badInput(`delta must be a non-zero integer from -${MAX_ON_HAND} to ${MAX_ON_HAND}`, { field: 'delta' });
    }
    if (reason === '' || reason.length > 500) throw badInput('reason must be between 1 and 500 characters');

    const level = await this.orm.em.fork().transactional(async (em) => {
      const [product] = await em.execute<Array<{ sku: string }>>('select sku from product where sku = ?', [sku]);
      if (!product) throw notFound(`No product with SKU ${sku}`);
      const [warehouse] = await em.execute<Array<{ id: string }>>('select id from warehouse where code = ?', [warehouseCode]);
      if (!warehouse) throw notFound(`No warehouse with code ${warehouseCode}`);

      await em.execute(
        `insert into stock_level (id, sku, warehouse_id) values (gen_random_uuid(), ?, ?) on conflict (sku, warehouse_id) do nothing`,
        [sku, warehouse.id],
      );
      // In bigint, so the guard itself cannot overflow; on hand stays at most MAX_ON_HAND.
      const apply = () =>
        em.execute<Array<{ on_hand_quantity: number }>>(
          `update stock_level set on_hand_quantity = on_hand_quantity + ?, updated_at = now()
           where sku = ? and warehouse_id = ? and on_hand_quantity::bigint + ?::bigint >= reserved_quantity
             and on_hand_quantity::bigint + ?::bigint <= ?
           returning on_hand_quantity`,
          [input.delta, sku, warehouse.id, input.delta, input.delta, MAX_ON_HAND],
        );
      const current = async () =>
        (
          await em.execute<Array<{ on_hand_quantity: number; reserved_quantity: number }>>(
            'select on_hand_quantity, reserved_quantity from stock_level where sku = ? and warehouse_id = ?',
            [sku, warehouse.id],
          )
        )[0];
      let updated = await apply();
      if (updated.length === 0) {
        const before = await current();
        if (before.on_hand_quantity + input.delta > MAX_ON_HAND) {
          throw badInput(
            `delta: ${sku} at ${warehouseCode} would hold ${before.on_hand_quantity + input.delta} units, more than the ${MAX_ON_HAND} one stock level may hold`,
            { field: 'delta', onHand: before.on_hand_quantity },
          );
        }
        if (input.releaseReservations) {
          const shortfall = before.reserved_quantity - (before.on_hand_quantity + input.delta);
          await releaseReservations(em, sku, warehouseCode, shortfall, `stock at ${warehouseCode} counted ${-input.delta} lower (${reason})`);
          updated = await apply();
        }
      }
      if (updated.length === 0) {
        const now = await current();
        const removable = now.on_hand_quantity - now.reserved_quantity;
        throw conflict(
          `Cannot remove ${-input.delta} units of ${sku} at ${warehouseCode}: ${now.on_hand_quantity} on hand, ` +
            `${now.reserved_quantity} reserved for orders, so at most ${removable} can be removed`,
          { onHand: now.on_hand_quantity, reserved: now.reserved_quantity, removable },
        );
      }
      await requestAllocation(em, [{ sku }], 'stock adjusted');
      await announceStockChanges(em, [{ sku, warehouseCode }]);
      return (await this.stockLevel(sku, warehouseCode, em))!;
    });
    this.logger?.info('stock adjusted', { sku, warehouseCode, delta: input.delta, reason, onHand: level.onHand });
    return level;
  }
}
