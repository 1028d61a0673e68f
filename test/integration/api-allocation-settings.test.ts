import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, gqlData, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

const READ =
  '{ allocationSettings { defaultFulfilmentPolicy maxWarehousesPerOrder preferTransferWithinDays allowDropShip weights { eta cost parcels } } }';
const UPDATE = `mutation ($input: AllocationSettingsInput!) {
  updateAllocationSettings(input: $input) { defaultFulfilmentPolicy maxWarehousesPerOrder preferTransferWithinDays allowDropShip weights { eta cost parcels } }
}`;

describe('allocation settings API', () => {
  let api: TestApi;
  const admin = tokenFor('admin');
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows the defaults while nothing is stored', async () => {
    expect((await gqlData(api.url, READ, {}, tokenFor('service'))).allocationSettings).toEqual({
      defaultFulfilmentPolicy: 'SHIP_PARTIAL',
      maxWarehousesPerOrder: 3,
      preferTransferWithinDays: 2,
      allowDropShip: true,
      weights: { eta: 1, cost: 0.1, parcels: 2 },
    });
  });

  it('merges a partial update into what is stored', async () => {
    await gqlData(api.url, UPDATE, { input: { maxWarehousesPerOrder: 1, weights: { cost: 0.5 } } }, admin);
    const { updateAllocationSettings } = await gqlData(
      api.url,
      UPDATE,
      { input: { defaultFulfilmentPolicy: 'SHIP_COMPLETE', allowDropShip: false } },
      admin,
    );
    expect(updateAllocationSettings).toEqual({
      defaultFulfilmentPolicy: 'SHIP_COMPLETE',
      maxWarehousesPerOrder: 1,
      preferTransferWithinDays: 2,
      allowDropShip: false,
      weights: { eta: 1, cost: 0.5, parcels: 2 },
    });
    expect((await gqlData(api.url, READ, {}, tokenFor('ops'))).allocationSettings).toEqual(updateAllocationSettings);
  });

  it('refuses invalid values with BAD_USER_INPUT and keeps the stored settings', async () => {
    for (const input of [{ maxWarehousesPerOrder: 0 }, { preferTransferWithinDays: -1 }, { weights: { eta: -0.5 } }]) {
      expect(errorCode(await gql(api.url, UPDATE, { input }, admin))).toBe('BAD_USER_INPUT');
    }
    expect((await gqlData(api.url, READ, {}, admin)).allocationSettings.maxWarehousesPerOrder).toBe(1);
  });

  it('lets staff read and only admins change the settings', async () => {
    expect(errorCode(await gql(api.url, READ, {}, tokenFor('storefront')))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, READ, {}, tokenFor('customer', 'c-1')))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, READ))).toBe('UNAUTHENTICATED');
    for (const role of ['ops', 'service'] as const) {
      expect(errorCode(await gql(api.url, UPDATE, { input: { allowDropShip: true } }, tokenFor(role)))).toBe('FORBIDDEN');
    }
  });
});
