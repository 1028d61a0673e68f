import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_REJECTED_INPUT } from '../../src/db/database-errors';
import { MAX_ON_HAND } from '../../src/shared/input-checks';
import { gql, gqlData, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const ADJUST = `mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`;

describe('sums that would overflow, and the last line at the database', () => {
  let api: TestApi;
  const admin = tokenFor('admin');
  const onHand = async () =>
    (await api.orm.em.fork().execute(`select on_hand_quantity from stock_level where sku = 'BIG'`))[0]?.on_hand_quantity as number;

  beforeAll(async () => {
    api = await startTestApi();
    await gqlData(
      api.url,
      `mutation { upsertWarehouse(input: { code: "W", name: "W", region: "EU" }) { id } upsertProduct(input: { sku: "BIG", name: "Big" }) { sku } }`,
      {},
      admin,
    );
    await gqlData(api.url, ADJUST, { input: { sku: 'BIG', warehouseCode: 'W', delta: 5, reason: 'count' } }, admin);
  });
  afterAll(async () => api?.close());

  it('adjustStock refuses a delta that would take on hand past its bound, naming delta, and changes nothing', async () => {
    const over = await gql(api.url, ADJUST, { input: { sku: 'BIG', warehouseCode: 'W', delta: MAX_ON_HAND, reason: 'typo' } }, admin);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'delta', onHand: 5 } });
    expect(await onHand()).toBe(5);
    const upToTheBound = await gqlData(
      api.url,
      ADJUST,
      { input: { sku: 'BIG', warehouseCode: 'W', delta: MAX_ON_HAND - 5, reason: 'count' } },
      admin,
    );
    expect(upToTheBound.adjustStock.onHand).toBe(MAX_ON_HAND);
    const oneMore = await gql(api.url, ADJUST, { input: { sku: 'BIG', warehouseCode: 'W', delta: 1, reason: 'count' } }, admin);
    expect(oneMore.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await onHand()).toBe(MAX_ON_HAND);
  });

  it('a goods receipt that would overflow on hand is BAD_USER_INPUT from the database, without SQL, and rolls back', async () => {
    // Only possible with rows written around the API; the argument checks cannot see it, the last line does.
    await api.orm.em.fork().execute(`update stock_level set on_hand_quantity = 2147483000 where sku = 'BIG'`);
    const po = await gqlData(
      api.url,
      `mutation { createPurchaseOrder(input: { supplier: "S", warehouseCode: "W", expectedAt: "2026-12-10T00:00:00Z",
      lines: [{ sku: "BIG", quantity: 1000 }] }) { id } }`,
      {},
      admin,
    );
    const receipt = await gql(
      api.url,
      `mutation($id: ID!) { receivePurchaseOrder(input: { purchaseOrderId: $id, lines: [{ sku: "BIG", quantity: 1000 }] }) { status } }`,
      { id: po.createPurchaseOrder.id },
      admin,
    );
    expect(receipt.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: DATABASE_REJECTED_INPUT });
    expect(receipt.errors?.[0]?.message).toBe('A number is out of the range that can be stored');
    expect(await onHand()).toBe(2147483000);
    const [line] = await api.orm.em
      .fork()
      .execute(`select received_quantity from purchase_order_line where purchase_order_id = ?`, [po.createPurchaseOrder.id]);
    expect(line.received_quantity).toBe(0);
  });
});
