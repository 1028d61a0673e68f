import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/init-orm';
import { placeOrder } from '../../src/orders/place-order';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import {
  deliverDropShip,
  issueReservedStock,
  receiveReservedStock,
  recordAllocations,
  releaseAllocations,
  releaseReservedStock,
  reserveStock,
  StockMovedError,
} from '../../src/reservations';
import { createTestEnvironment, TestDatabase } from '../support/test-env';
import { factories } from '../support/factories';

/** The reservation module's inverses, on the real database: what one does, the other undoes, and guards refuse whole. */
describe('reservations', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  let make: ReturnType<typeof factories>;
  let order: { orderId: string; lineId: string };

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    make = factories(orm);
    await make.warehouse('W', 'EU');
    await make.warehouse('V', 'EU');
    await make.product('A');
    await make.product('B');
    const placed = await placeOrder(
      orm.em.fork(),
      {
        idempotencyKey: 'r-1',
        customerId: 'c',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku: 'A', quantity: 4, unitPrice: 1 }],
      },
      FulfilmentPolicy.SHIP_PARTIAL,
    );
    const [line] = await orm.em.fork().execute(`select id from order_line where order_id = ?`, [placed.orderId]);
    order = { orderId: placed.orderId, lineId: line.id };
  });
  afterAll(async () => {
    await orm?.close(true);
    await env?.drop();
  });
  beforeEach(async () => {
    await orm.em.fork().execute(`delete from allocation`);
    await orm.em.fork().execute(`update stock_level set reserved_quantity = 0, safety_stock = 0`);
    await make.stock('A', 'W', 10);
    await make.stock('B', 'W', 2);
  });

  const tx = <T>(work: (em: EntityManager) => Promise<T>) => orm.em.fork().transactional(work);
  const stockRowId = async (sku: string, code: string): Promise<string> =>
    (
      await orm.em
        .fork()
        .execute(`select s.id from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku = ? and w.code = ?`, [sku, code])
    )[0].id;
  const stockLevels = () =>
    orm.em
      .fork()
      .execute(
        `select s.sku, w.code, s.on_hand_quantity, s.reserved_quantity from stock_level s join warehouse w on w.id = s.warehouse_id order by s.sku, w.code`,
      );
  const activeAllocations = () => orm.em.fork().execute(`select id, kind, quantity from allocation where status = 'ACTIVE' order by id`);
  const pullOf = (quantity: number) => ({
    id: randomUUID(),
    order_id: order.orderId,
    order_line_id: order.lineId,
    kind: 'PULL',
    sku: 'A',
    quantity,
    warehouse_code: 'W',
    source_warehouse_code: null,
    eta: new Date().toISOString(),
    reason: `${quantity} reserved at W`,
    purchase_order_line_id: null,
    transfer_id: null,
    shipment_id: null,
  });

  it('reserve then release leaves stock levels and active allocations as they were', async () => {
    const stockBefore = await stockLevels();
    const allocationsBefore = await activeAllocations();
    const pull = pullOf(4);
    await tx(async (em) => {
      await reserveStock(em, [{ key: 'A@W', stockLevelId: await stockRowId('A', 'W'), quantity: 4 }]);
      await recordAllocations(em, [pull]);
    });
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 4 });
    expect(await activeAllocations()).toEqual([{ id: pull.id, kind: 'PULL', quantity: 4 }]);

    // Given back in two parts: the row holds less, then is released whole (its quantity kept as a record).
    await tx(async (em) => {
      await releaseAllocations(em, [{ id: pull.id, quantity: 4, take: 1 }]);
      await releaseReservedStock(em, [{ sku: 'A', warehouseCode: 'W', quantity: 1 }]);
    });
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 3 });
    expect(await activeAllocations()).toEqual([{ id: pull.id, kind: 'PULL', quantity: 3 }]);
    await tx(async (em) => {
      await releaseAllocations(em, [{ id: pull.id, quantity: 3, take: 3 }]);
      await releaseReservedStock(em, [{ sku: 'A', warehouseCode: 'W', quantity: 3 }]);
    });
    expect(await stockLevels()).toEqual(stockBefore);
    expect(await activeAllocations()).toEqual(allocationsBefore);
    const [released] = await orm.em.fork().execute(`select status, quantity from allocation where id = ?`, [pull.id]);
    expect(released).toEqual({ status: 'RELEASED', quantity: 3 });
  });

  it('a guarded reserve beyond free stock throws StockMovedError naming the row and changes nothing', async () => {
    const before = await stockLevels();
    const rows = [
      { key: 'A@W', stockLevelId: await stockRowId('A', 'W'), quantity: 10 },
      { key: 'B@W', stockLevelId: await stockRowId('B', 'W'), quantity: 3 },
    ];
    const refused = await tx((em) => reserveStock(em, rows)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StockMovedError);
    expect((refused as StockMovedError).keys).toEqual(['B@W']);
    expect(await stockLevels()).toEqual(before);
  });

  it('safety stock is not free: a reserve into it is refused', async () => {
    await orm.em.fork().execute(`update stock_level set safety_stock = 3 where sku = 'A'`);
    const row = { key: 'A@W', stockLevelId: await stockRowId('A', 'W'), quantity: 8 };
    await expect(tx((em) => reserveStock(em, [row]))).rejects.toBeInstanceOf(StockMovedError);
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 0 });
    await tx((em) => reserveStock(em, [{ ...row, quantity: 7 }]));
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 7 });
  });

  it('a row the snapshot did not see throws before anything is written', async () => {
    const a = await stockRowId('A', 'W');
    await expect(
      tx((em) =>
        reserveStock(em, [
          { key: 'A@W', stockLevelId: a, quantity: 1 },
          { key: 'A@V', stockLevelId: undefined, quantity: 1 },
        ]),
      ),
    ).rejects.toMatchObject({ keys: ['A@V'] });
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 0 });
  });

  it('releasing more than is reserved is a conflict and changes nothing', async () => {
    const a = await stockRowId('A', 'W');
    await tx((em) => reserveStock(em, [{ key: 'A@W', stockLevelId: a, quantity: 2 }]));
    await expect(
      tx((em) =>
        releaseReservedStock(em, [
          { sku: 'A', warehouseCode: 'W', quantity: 1 },
          { sku: 'A', warehouseCode: 'W', quantity: 2 },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 10, reserved: 2 });
  });

  it('reserved units issued from one warehouse and received reserved at another move both counts', async () => {
    const a = await stockRowId('A', 'W');
    await tx((em) => reserveStock(em, [{ key: 'A@W', stockLevelId: a, quantity: 4 }]));
    await tx(async (em) => {
      await issueReservedStock(em, [{ sku: 'A', warehouseCode: 'W', quantity: 4 }]);
      await receiveReservedStock(em, [{ sku: 'A', warehouseCode: 'V', quantity: 4 }]);
    });
    expect(await make.stockOf('A', 'W')).toEqual({ onHand: 6, reserved: 0 });
    expect(await make.stockOf('A', 'V')).toEqual({ onHand: 4, reserved: 4 });
    // Issuing more reserved units than a row holds is refused whole.
    await expect(tx((em) => issueReservedStock(em, [{ sku: 'A', warehouseCode: 'V', quantity: 5 }]))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await make.stockOf('A', 'V')).toEqual({ onHand: 4, reserved: 4 });
  });
  it('a drop-ship delivery ships covers oldest first and splits the one delivered in part', async () => {
    const poId = randomUUID();
    const poLineId = randomUUID();
    const shipmentId = randomUUID();
    const db = orm.em.fork();
    await db.execute(
      `insert into purchase_order (id, status, supplier, warehouse_code, expected_at, drop_ship_order_id) values (?, 'OPEN', 'S', null, now(), ?)`,
      [poId, order.orderId],
    );
    await db.execute(`insert into purchase_order_line (id, purchase_order_id, sku, quantity) values (?, ?, 'A', 5)`, [poLineId, poId]);
    await db.execute(`insert into shipment (id, order_id, warehouse_code, supplier, status, shipped_at) values (?, ?, null, 'S', 'SHIPPED', now())`, [
      shipmentId,
      order.orderId,
    ]);
    const dropShip = (quantity: number) => ({ ...pullOf(quantity), kind: 'DROP_SHIP', warehouse_code: null, purchase_order_line_id: poLineId });
    const [older, newer] = [dropShip(3), dropShip(2)];
    await tx((em) => recordAllocations(em, [older, newer]));
    // Oldest first by created_at: the older cover is delivered whole, the newer in part.
    await db.execute(`update allocation set created_at = case when id = ? then '2026-01-01'::timestamptz else '2026-01-02'::timestamptz end`, [
      older.id,
    ]);
    const stockBefore = await stockLevels();

    const delivered = await tx((em) => deliverDropShip(em, poLineId, 4, shipmentId));
    expect(delivered).toEqual([
      { orderLineId: order.lineId, quantity: 3 },
      { orderLineId: order.lineId, quantity: 1 },
    ]);
    const rows = await orm.em
      .fork()
      .execute(`select id, status, quantity, shipment_id from allocation where purchase_order_line_id = ? order by status, quantity`, [poLineId]);
    expect(rows).toEqual([
      { id: newer.id, status: 'ACTIVE', quantity: 1, shipment_id: null },
      { id: expect.any(String), status: 'SHIPPED', quantity: 1, shipment_id: shipmentId },
      { id: older.id, status: 'SHIPPED', quantity: 3, shipment_id: shipmentId },
    ]);
    expect(await stockLevels()).toEqual(stockBefore);
  });
});
