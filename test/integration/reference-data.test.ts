import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, ApiServer } from '../../src/api/server';
import { createServices, Services } from '../../src/app/services';
import { pgRunner } from '../../src/db/sql-runner';
import { ReferenceColumn, ReferenceDataCache } from '../../src/reference-data/reference-cache';
import { gqlData } from '../support/api-client';
import { Harness } from '../support/harness';

const OPTIONS = `query { deliveryOptions(input: { region: "EU", lines: [{ sku: "REF", quantity: 3 }] }) { fulfilmentPolicy eta parcels { kind warehouseCode supplier } } }`;
const isoDay = (value: string) => value.slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Two API processes over one database, each with its own copy of the reference data: a change made through one is
 * seen by the very next request to the other.
 */
describe('reference data held in each process', () => {
  let h: Harness;
  let otherServices: Services;
  let other: ApiServer;
  const askOther = async () => (await gqlData<any>(other.url, OPTIONS, {}, h.token('storefront'))).deliveryOptions[0];

  beforeAll(async () => {
    h = await Harness.start({ worker: false });
    otherServices = createServices(h.orm, h.config);
    other = createApiServer({ config: h.config, orm: h.orm, services: otherServices });
    await other.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "REF", name: "Ref", leadTimeDays: 6, dropShip: true, supplier: "Direct" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "REF", warehouseCode: "EAST", delta: 1, reason: "count" }) { onHand } }`);
  });
  afterAll(async () => {
    await other?.stop();
    await otherServices?.close();
    await h?.stop();
  });

  it('sees a lane change made through another process at the next request', async () => {
    const before = await askOther();
    expect(before.parcels.map((p: any) => p.kind)).toEqual(['PULL', 'DROP_SHIP']);
    expect(isoDay(before.eta)).toBe(inDays(6));
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 9 }] }) { id } }`,
    );
    expect(isoDay((await askOther()).eta)).toBe(inDays(9));
  });

  it('sees new allocation settings at the next request', async () => {
    const kinds = async () => (await askOther()).parcels.map((p: any) => p.kind).sort();
    await h.ok(`mutation { updateAllocationSettings(input: { allowDropShip: false }) { allowDropShip } }`);
    expect(await kinds()).toEqual(['PULL', 'WAIT']);
    await h.ok(`mutation { updateAllocationSettings(input: { allowDropShip: true }) { allowDropShip } }`);
    expect(await kinds()).toEqual(['DROP_SHIP', 'PULL']);
  });

  it('sees a new warehouse and a channel default, and reads nothing but the version while nothing changed', async () => {
    const cache = otherServices.referenceData;
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "NORTH", name: "North", region: "EU", shippingLanes: [{ region: "EU", days: 1 }] }) { id } }`,
    );
    await h.ok(`mutation { setChannelFulfilmentPolicy(channel: "b2b", fulfilmentPolicy: SHIP_COMPLETE) { channel } }`);
    const seen = await cache.load(pgRunner(h.services.pg));
    expect(seen.warehouses.map((w) => w.code)).toEqual(['EAST', 'NORTH']);
    expect(seen.channelPolicies.get('b2b')).toBe('SHIP_COMPLETE');
    expect(seen.policy.allowDropShip).toBe(true);
    // Unchanged since: the statement returns the version alone and the held copy is handed out.
    const [row] = await pgRunner(h.services.pg)<{ reference: ReferenceColumn }>(
      { name: 'test-reference', text: `select ${ReferenceDataCache.column('$1')} as reference` },
      [cache.heldVersion],
    );
    expect(row.reference).toEqual({ version: seen.version, rows: null });
    expect(cache.accept(row.reference)).toBe(seen);
  });

  it('keeps the newest version when a statement from an older snapshot answers late', async () => {
    const cache = new ReferenceDataCache();
    const rows = (code: string) => ({ warehouses: [{ code, active: true }], shipping_lanes: [], transfer_lanes: [], settings: null, channels: [] });
    const newer = cache.accept({ version: 5, rows: rows('NEW') });
    const older = cache.accept({ version: 4, rows: rows('OLD') });
    expect(older.warehouses[0].code).toBe('OLD');
    expect(cache.heldVersion).toBe(5);
    expect(cache.accept({ version: 5, rows: null })).toBe(newer);
    expect(() => cache.accept({ version: 6, rows: null })).toThrow(/without its rows/);
  });
});

/** Every writer of a reference table marks the change in its transaction, or processes keep an old copy. */
describe('writers of reference data', () => {
  const root = path.resolve(__dirname, '..', '..');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });
  const WRITES = /\b(insert\s+into|update|delete\s+from)\s+"?(warehouse|shipping_lane|transfer_lane|allocation_settings|sales_channel)"?\b/i;

  it('each bumps the reference version', () => {
    const writers = [...files(path.join(root, 'src')), ...files(path.join(root, 'worker')), ...files(path.join(root, 'test', 'support'))].filter(
      (file) => WRITES.test(readFileSync(file, 'utf8')),
    );
    expect(writers.length).toBeGreaterThanOrEqual(4);
    expect(writers.filter((file) => !readFileSync(file, 'utf8').includes('bumpReferenceVersion')).map((f) => path.relative(root, f))).toEqual([]);
  });
});
