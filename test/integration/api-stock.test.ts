import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, gqlData, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const ADJUST = `
  mutation ($input: StockAdjustmentInput!) {
    adjustStock(input: $input) { sku warehouseCode onHand reserved available incoming }
  }`;
const LEVELS = 'query ($sku: String!) { stockLevels(sku: $sku) { sku warehouseCode onHand reserved safetyStock available incoming } }';

describe('stock API', () => {
  let api: TestApi;
  const ops = tokenFor('ops');
  const sql = (query: string, params: unknown[] = []) => api.orm.em.fork().execute<any[]>(query, params);
  const outboxCount = async () => Number((await sql('select count(*)::int as n from outbox_message'))[0].n);
  const requestCount = async () => Number((await sql('select count(*)::int as n from allocation_request'))[0].n);

  beforeAll(async () => {
    api = await startTestApi();
    for (const [code, region] of [
      ['STO', 'SE'],
      ['CPH', 'DK'],
      ['OLD', 'SE'],
    ]) {
      await sql(`insert into warehouse (id, code, name, region, active) values (gen_random_uuid(), ?, ?, ?, ?)`, [
        code,
        code,
        region,
        code !== 'OLD',
      ]);
    }
    await sql(`insert into product (sku, name) values ('SKU-1', 'Thing'), ('SKU-2', 'Other')`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists one row per active warehouse, zeros where nothing was ever stocked', async () => {
    const { stockLevels } = await gqlData(api.url, LEVELS, { sku: 'SKU-2' }, tokenFor('storefront'));
    expect(stockLevels).toEqual([
      { sku: 'SKU-2', warehouseCode: 'CPH', onHand: 0, reserved: 0, safetyStock: 0, available: 0, incoming: 0 },
      { sku: 'SKU-2', warehouseCode: 'STO', onHand: 0, reserved: 0, safetyStock: 0, available: 0, incoming: 0 },
    ]);
    expect((await gqlData(api.url, LEVELS, { sku: 'UNKNOWN' }, ops)).stockLevels).toEqual([]);
  });

  it('raises stock, asks for re-allocation and announces the change in the same transaction', async () => {
    const [outboxBefore, requestsBefore] = [await outboxCount(), await requestCount()];
    const { adjustStock } = await gqlData(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: 10, reason: 'goods found' } }, ops);
    expect(adjustStock).toEqual({ sku: 'SKU-1', warehouseCode: 'STO', onHand: 10, reserved: 0, available: 10, incoming: 0 });
    expect(await requestCount()).toBe(requestsBefore + 1);
    const messages = await sql('select kind, payload from outbox_message order by id');
    expect(messages.length).toBe(outboxBefore + 2);
    expect(messages.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(['allocate', 'stock-changed']));
    expect(messages.find((m: { kind: string }) => m.kind === 'stock-changed').payload).toEqual({ sku: 'SKU-1', warehouseCode: 'STO' });
  });

  it('lowers stock down to what is reserved, and refuses to go below it with CONFLICT, writing nothing', async () => {
    await sql(`update stock_level set reserved_quantity = 4 where sku = 'SKU-1'`);
    const lowered = await gqlData(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: -5, reason: 'damaged' } }, ops);
    expect(lowered.adjustStock).toMatchObject({ onHand: 5, reserved: 4, available: 1 });

    const [outboxBefore, requestsBefore] = [await outboxCount(), await requestCount()];
    const refused = await gql(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: -2, reason: 'count' } }, ops);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toMatch(/5 on hand, 4 reserved.*at most 1/);
    expect(await outboxCount()).toBe(outboxBefore);
    expect(await requestCount()).toBe(requestsBefore);
    const { stockLevels } = await gqlData(api.url, LEVELS, { sku: 'SKU-1' }, ops);
    expect(stockLevels.find((l: { warehouseCode: string }) => l.warehouseCode === 'STO')).toMatchObject({ onHand: 5, reserved: 4 });
  });

  it('refuses to remove stock from a warehouse that never had any, without leaving a row behind', async () => {
    const refused = await gql(api.url, ADJUST, { input: { sku: 'SKU-2', warehouseCode: 'CPH', delta: -1, reason: 'count' } }, ops);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(await sql(`select 1 from stock_level where sku = 'SKU-2'`)).toEqual([]);
  });

  it('lets exactly as many concurrent removals through as there are unreserved units', async () => {
    await gqlData(api.url, ADJUST, { input: { sku: 'SKU-2', warehouseCode: 'STO', delta: 3, reason: 'receipt' } }, ops);
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => gql(api.url, ADJUST, { input: { sku: 'SKU-2', warehouseCode: 'STO', delta: -1, reason: 'pick' } }, ops)),
    );
    expect(attempts.filter((r) => !r.errors).length).toBe(3);
    expect(attempts.filter((r) => errorCode(r) === 'CONFLICT').length).toBe(5);
    const [row] = await sql(
      `select on_hand_quantity from stock_level s join warehouse w on w.id = s.warehouse_id where s.sku = 'SKU-2' and w.code = 'STO'`,
    );
    expect(row.on_hand_quantity).toBe(0);
  });

  it('refuses a zero delta, an empty reason, and unknown SKUs or warehouses', async () => {
    expect(errorCode(await gql(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: 0, reason: 'x' } }, ops))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gql(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: 1, reason: '  ' } }, ops))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gql(api.url, ADJUST, { input: { sku: 'NOPE', warehouseCode: 'STO', delta: 1, reason: 'x' } }, ops))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'NOPE', delta: 1, reason: 'x' } }, ops))).toBe('NOT_FOUND');
  });

  it('counts open purchase orders and planned or dispatched transfers as incoming, net of what was received', async () => {
    await sql(`insert into purchase_order (id, status, supplier, warehouse_code, expected_at) values
      ('00000000-0000-4000-8000-000000000001', 'OPEN', 'Acme', 'CPH', now()),
      ('00000000-0000-4000-8000-000000000002', 'PARTIALLY_RECEIVED', 'Acme', 'CPH', now()),
      ('00000000-0000-4000-8000-000000000003', 'DRAFT', 'Acme', 'CPH', now()),
      ('00000000-0000-4000-8000-000000000004', 'RECEIVED', 'Acme', 'CPH', now())`);
    await sql(`insert into purchase_order_line (id, purchase_order_id, sku, quantity, received_quantity) values
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', 'SKU-1', 10, 0),
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000002', 'SKU-1', 8, 3),
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000003', 'SKU-1', 100, 0),
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000004', 'SKU-1', 7, 7)`);
    await sql(`insert into transfer (id, status, from_warehouse_code, to_warehouse_code, expected_at) values
      ('00000000-0000-4000-8000-000000000011', 'DISPATCHED', 'STO', 'CPH', now()),
      ('00000000-0000-4000-8000-000000000012', 'CANCELLED', 'STO', 'CPH', now())`);
    await sql(`insert into transfer_line (id, transfer_id, sku, quantity, received_quantity) values
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000011', 'SKU-1', 4, 1),
      (gen_random_uuid(), '00000000-0000-4000-8000-000000000012', 'SKU-1', 50, 0)`);
    const { stockLevels } = await gqlData(api.url, LEVELS, { sku: 'SKU-1' }, tokenFor('service'));
    expect(stockLevels.find((l: { warehouseCode: string }) => l.warehouseCode === 'CPH').incoming).toBe(10 + 5 + 3);
  });

  it('lets storefronts and customer service read stock, and only operations change it', async () => {
    expect(errorCode(await gql(api.url, LEVELS, { sku: 'SKU-1' }, tokenFor('customer', 'c-1')))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, LEVELS, { sku: 'SKU-1' }))).toBe('UNAUTHENTICATED');
    for (const role of ['storefront', 'service', 'customer'] as const) {
      const response = await gql(
        api.url,
        ADJUST,
        { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: 1, reason: 'x' } },
        tokenFor(role, role === 'customer' ? 'c-1' : undefined),
      );
      expect(errorCode(response)).toBe('FORBIDDEN');
    }
    expect(
      (await gqlData(api.url, ADJUST, { input: { sku: 'SKU-1', warehouseCode: 'STO', delta: 1, reason: 'x' } }, tokenFor('admin'))).adjustStock
        .onHand,
    ).toBe(6);
  });
});
