import type { MikroORM } from '@mikro-orm/postgresql';
import { bumpReferenceVersion } from '../../src/reference-data/reference-cache';

/** Test data written straight to the database, so tests of one part do not depend on another part's API. */
export function factories(orm: MikroORM) {
  const em = () => orm.em.fork();
  // Warehouses and lanes are reference data: API processes hold a copy until its version moves.
  const changedReferenceData = () => orm.em.fork().transactional((tx) => bumpReferenceVersion(tx));
  return {
    async warehouse(code: string, region: string, shippingLanes: Array<{ region: string; days: number; cost?: number }> = [{ region, days: 1 }]) {
      await em().execute(`insert into warehouse (id, code, name, region) values (gen_random_uuid(), ?, ?, ?)`, [code, `Warehouse ${code}`, region]);
      for (const lane of shippingLanes) {
        await em().execute(
          `insert into shipping_lane (id, warehouse_id, region, days, cost) select gen_random_uuid(), id, ?, ?, ? from warehouse where code = ?`,
          [lane.region, lane.days, lane.cost ?? 0, code],
        );
      }
      await changedReferenceData();
    },
    async transferLane(from: string, to: string, days: number, cost = 0) {
      await em().execute(
        `insert into transfer_lane (id, from_warehouse_id, to_warehouse_id, days, cost)
         select gen_random_uuid(), f.id, t.id, ?, ? from warehouse f, warehouse t where f.code = ? and t.code = ?`,
        [days, cost, from, to],
      );
      await changedReferenceData();
    },
    async product(
      sku: string,
      fields: Partial<{
        leadTimeDays: number;
        dropShip: boolean;
        supplier: string;
        reorderPoint: number;
        reorderQuantity: number;
        backorderPolicy: string;
      }> = {},
    ) {
      await em().execute(
        `insert into product (sku, name, lead_time_days, drop_ship, supplier, reorder_point, reorder_quantity, backorder_policy)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          sku,
          `Product ${sku}`,
          fields.leadTimeDays ?? 14,
          fields.dropShip ?? false,
          fields.supplier ?? null,
          fields.reorderPoint ?? 0,
          fields.reorderQuantity ?? 0,
          fields.backorderPolicy ?? 'ALLOW',
        ],
      );
    },
    async stock(sku: string, warehouseCode: string, onHand: number) {
      await em().execute(
        `insert into stock_level (id, sku, warehouse_id, on_hand_quantity) select gen_random_uuid(), ?, id, ? from warehouse where code = ?
         on conflict (sku, warehouse_id) do update set on_hand_quantity = excluded.on_hand_quantity`,
        [sku, onHand, warehouseCode],
      );
    },
    async stockOf(sku: string, warehouseCode: string): Promise<{ onHand: number; reserved: number }> {
      const [row] = await em().execute(
        `select s.on_hand_quantity, s.reserved_quantity from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku = ? and w.code = ?`,
        [sku, warehouseCode],
      );
      return { onHand: row?.on_hand_quantity ?? 0, reserved: row?.reserved_quantity ?? 0 };
    },
  };
}
