import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, gqlData, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const UPSERT_WAREHOUSE = `
  mutation ($input: WarehouseInput!) {
    upsertWarehouse(input: $input) {
      id code name region active
      shippingLanes { region days cost }
      transferLanes { toWarehouseCode days cost }
    }
  }`;

const UPSERT_PRODUCT = `
  mutation ($input: ProductInput!) {
    upsertProduct(input: $input) { sku name backorderPolicy reorderPoint reorderQuantity leadTimeDays dropShip supplier }
  }`;

describe('catalogue API: warehouses and products', () => {
  let api: TestApi;
  const ops = tokenFor('ops');
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates warehouses with shipping and transfer lanes, and lists them by code', async () => {
    await gqlData(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'STO', name: 'Stockholm', region: 'SE', shippingLanes: [{ region: 'SE', days: 1 }] } },
      ops,
    );
    const { upsertWarehouse } = await gqlData(
      api.url,
      UPSERT_WAREHOUSE,
      {
        input: {
          code: 'CPH',
          name: 'Copenhagen',
          region: 'DK',
          shippingLanes: [
            { region: 'DK', days: 1, cost: 4.5 },
            { region: 'SE', days: 2, cost: 7 },
          ],
          transferLanes: [{ toWarehouseCode: 'STO', days: 2, cost: 30 }],
        },
      },
      tokenFor('admin'),
    );
    expect(upsertWarehouse).toMatchObject({
      code: 'CPH',
      name: 'Copenhagen',
      region: 'DK',
      active: true,
      shippingLanes: [
        { region: 'DK', days: 1, cost: 4.5 },
        { region: 'SE', days: 2, cost: 7 },
      ],
      transferLanes: [{ toWarehouseCode: 'STO', days: 2, cost: 30 }],
    });

    const { warehouses } = await gqlData(
      api.url,
      '{ warehouses { code region active transferLanes { toWarehouseCode } } }',
      {},
      tokenFor('customer', 'c-1'),
    );
    expect(warehouses.map((w: { code: string }) => w.code)).toEqual(['CPH', 'STO']);
  });

  it('updates a warehouse by code: given lanes replace the old ones, lanes left out stay', async () => {
    const first = await gqlData(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'OSL', name: 'Oslo', region: 'NO', shippingLanes: [{ region: 'NO', days: 1 }] } },
      ops,
    );
    const second = await gqlData(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'OSL', name: 'Oslo Nord', region: 'NO', active: false, transferLanes: [{ toWarehouseCode: 'STO', days: 1 }] } },
      ops,
    );
    expect(second.upsertWarehouse).toMatchObject({
      id: first.upsertWarehouse.id,
      name: 'Oslo Nord',
      active: false,
      shippingLanes: [{ region: 'NO', days: 1, cost: 0 }],
      transferLanes: [{ toWarehouseCode: 'STO', days: 1, cost: 0 }],
    });
    const third = await gqlData(api.url, UPSERT_WAREHOUSE, { input: { code: 'OSL', name: 'Oslo', region: 'NO', shippingLanes: [] } }, ops);
    expect(third.upsertWarehouse).toMatchObject({ active: false, shippingLanes: [], transferLanes: [{ toWarehouseCode: 'STO' }] });
  });

  it('refuses lanes to unknown warehouses, negative or fractional days, and writes nothing', async () => {
    const unknown = await gql(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'HEL', name: 'Helsinki', region: 'FI', transferLanes: [{ toWarehouseCode: 'NOPE', days: 2 }] } },
      ops,
    );
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].message).toMatch(/NOPE/);
    const negative = await gql(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'HEL', name: 'Helsinki', region: 'FI', shippingLanes: [{ region: 'FI', days: -1 }] } },
      ops,
    );
    expect(errorCode(negative)).toBe('BAD_USER_INPUT');
    // 1.5 is not an Int: graphql-js refuses the variable before any resolver runs.
    const fractional = await gql(
      api.url,
      UPSERT_WAREHOUSE,
      { input: { code: 'HEL', name: 'Helsinki', region: 'FI', shippingLanes: [{ region: 'FI', days: 1.5 }] } },
      ops,
    );
    expect(fractional.status).toBe(400);
    expect(errorCode(fractional)).toBe('BAD_USER_INPUT');
    const { warehouses } = await gqlData(api.url, '{ warehouses { code } }', {}, ops);
    expect(warehouses.map((w: { code: string }) => w.code)).not.toContain('HEL');
  });

  it('creates and updates a product by SKU, keeping fields left out', async () => {
    const created = await gqlData(
      api.url,
      UPSERT_PRODUCT,
      { input: { sku: 'CHAIR-1', name: 'Chair', leadTimeDays: 10, reorderPoint: 5, reorderQuantity: 20, dropShip: true, supplier: 'Acme' } },
      ops,
    );
    expect(created.upsertProduct).toEqual({
      sku: 'CHAIR-1',
      name: 'Chair',
      backorderPolicy: 'ALLOW',
      reorderPoint: 5,
      reorderQuantity: 20,
      leadTimeDays: 10,
      dropShip: true,
      supplier: 'Acme',
    });
    const updated = await gqlData(api.url, UPSERT_PRODUCT, { input: { sku: 'CHAIR-1', name: 'Oak chair', backorderPolicy: 'DENY' } }, ops);
    expect(updated.upsertProduct).toMatchObject({ name: 'Oak chair', backorderPolicy: 'DENY', leadTimeDays: 10, supplier: 'Acme' });

    const read = await gqlData(
      api.url,
      'query ($sku: String!) { product(sku: $sku) { sku name leadTimeDays } }',
      { sku: 'CHAIR-1' },
      tokenFor('storefront'),
    );
    expect(read.product).toEqual({ sku: 'CHAIR-1', name: 'Oak chair', leadTimeDays: 10 });
    const missing = await gqlData(api.url, '{ product(sku: "NOPE") { sku } }', {}, tokenFor('service'));
    expect(missing.product).toBeNull();
  });

  it('refuses invalid products with BAD_USER_INPUT', async () => {
    const dropShipWithoutSupplier = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'LAMP-1', name: 'Lamp', dropShip: true } }, ops);
    expect(errorCode(dropShipWithoutSupplier)).toBe('BAD_USER_INPUT');
    const negativeLeadTime = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'LAMP-1', name: 'Lamp', leadTimeDays: -3 } }, ops);
    expect(errorCode(negativeLeadTime)).toBe('BAD_USER_INPUT');
    const unknownEnum = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'LAMP-1', name: 'Lamp', backorderPolicy: 'MAYBE' } }, ops);
    expect(errorCode(unknownEnum)).toBe('BAD_USER_INPUT');
    expect((await gqlData(api.url, '{ product(sku: "LAMP-1") { sku } }', {}, ops)).product).toBeNull();
  });

  it('answers a missing required input field with BAD_USER_INPUT (graphql-js code kept as the reason)', async () => {
    // Written into the document: graphql-js validation fails (Apollo: GRAPHQL_VALIDATION_FAILED, HTTP 400).
    const inDocument = await gql(api.url, 'mutation { upsertProduct(input: { sku: "X-1" }) { sku } }', {}, ops);
    expect(inDocument.status).toBe(400);
    expect(inDocument.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    // Missing from a variable: variable coercion fails (Apollo: BAD_USER_INPUT, HTTP 400).
    const inVariables = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'X-1' } }, ops);
    expect(inVariables.status).toBe(400);
    expect(inVariables.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    // An unknown field or a syntax error is the caller's input too.
    expect(errorCode(await gql(api.url, '{ nope }', {}, ops))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, '{ warehouses { code }', {}, ops))).toBe('BAD_USER_INPUT');
  });

  describe('authorisation', () => {
    it('refuses every operation without a token: UNAUTHENTICATED', async () => {
      const query = await gql(api.url, '{ warehouses { code } }');
      expect(errorCode(query)).toBe('UNAUTHENTICATED');
      expect(query.data).toBeNull();
      const mutation = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'ANON-1', name: 'Anon' } });
      expect(errorCode(mutation)).toBe('UNAUTHENTICATED');
      expect((await gqlData(api.url, '{ product(sku: "ANON-1") { sku } }', {}, ops)).product).toBeNull();
    });

    it('refuses an invalid, tampered or expired token with UNAUTHENTICATED and HTTP 401', async () => {
      const tampered = tokenFor('ops').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')); // even in the last character's spare bits
      const otherSecret = tokenFor('admin', undefined, { secret: 'some-other-secret-of-enough-length' });
      const expired = tokenFor('admin', undefined, { ttlSeconds: -10 });
      for (const token of ['garbage', tampered, otherSecret, expired]) {
        const response = await gql(api.url, '{ warehouses { code } }', {}, token);
        expect(response.status).toBe(401);
        expect(errorCode(response)).toBe('UNAUTHENTICATED');
      }
    });

    it('refuses a role the operation is not for: FORBIDDEN, nothing written', async () => {
      for (const role of ['storefront', 'service'] as const) {
        const response = await gql(api.url, UPSERT_WAREHOUSE, { input: { code: 'BAD', name: 'Bad', region: 'SE' } }, tokenFor(role));
        expect(errorCode(response)).toBe('FORBIDDEN');
      }
      const customer = await gql(api.url, UPSERT_PRODUCT, { input: { sku: 'C-1', name: 'Nope' } }, tokenFor('customer', 'c-1'));
      expect(errorCode(customer)).toBe('FORBIDDEN');
      const customerRead = await gql(api.url, '{ product(sku: "CHAIR-1") { sku } }', {}, tokenFor('customer', 'c-1'));
      expect(errorCode(customerRead)).toBe('FORBIDDEN');
      const { warehouses } = await gqlData(api.url, '{ warehouses { code } }', {}, ops);
      expect(warehouses.map((w: { code: string }) => w.code)).not.toContain('BAD');
    });
  });
});
