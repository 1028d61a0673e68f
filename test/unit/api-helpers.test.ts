import { describe, expect, it } from 'vitest';
import {
  allocationSettingsFromJson,
  DEFAULT_ALLOCATION_SETTINGS,
  mergeAllocationSettings,
  validateAllocationSettings,
} from '../../src/allocation/allocation-settings';
import { BatchLoader } from '../../src/api/batch-loader';
import { formatOrderNumber, parseDocumentNumber } from '../../src/shared/document-numbers';
import { decodeCursor, pageWindow, toPage } from '../../src/shared/pagination';

describe('paging', () => {
  it('walks pages with opaque cursors', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'];
    const first = pageWindow({ first: 2 });
    const page1 = toPage(rows.slice(first.offset, first.offset + first.limit + 1), first, rows.length);
    expect(page1.edges.map((e) => e.node)).toEqual(['a', 'b']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = pageWindow({ first: 2, after: page1.pageInfo.endCursor });
    const page3Window = pageWindow({ first: 2, after: toPage(rows.slice(second.offset, second.offset + 3), second, 5).pageInfo.endCursor });
    const page3 = toPage(rows.slice(page3Window.offset, page3Window.offset + 3), page3Window, 5);
    expect(page3.edges.map((e) => e.node)).toEqual(['e']);
    expect(page3.pageInfo).toEqual({ hasNextPage: false, endCursor: page3.edges[0].cursor });
    expect(toPage([], pageWindow({}), 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('refuses bad page sizes and cursors with BAD_USER_INPUT', () => {
    for (const request of [{ first: -1 }, { first: 101 }, { after: 'nonsense' }, { after: Buffer.from('{"o":-4}').toString('base64url') }]) {
      expect(() => pageWindow(request)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
    expect(() => decodeCursor('%%%')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('document numbers', () => {
  it('formats and parses SO/PO/TR numbers', () => {
    expect(formatOrderNumber('1042')).toBe('SO-1042');
    expect(parseDocumentNumber('order', 'so-1042')).toBe('1042');
    expect(parseDocumentNumber('purchaseOrder', '77')).toBe('77');
    expect(parseDocumentNumber('transfer', 'PO-77')).toBeNull();
  });
});

describe('allocation settings', () => {
  it('falls back to the defaults field by field', () => {
    expect(allocationSettingsFromJson(undefined)).toEqual(DEFAULT_ALLOCATION_SETTINGS);
    expect(allocationSettingsFromJson({ maxWarehousesPerOrder: 0, allowDropShip: false, weights: { cost: 3, eta: -1 } })).toEqual({
      ...DEFAULT_ALLOCATION_SETTINGS,
      allowDropShip: false,
      weights: { eta: 1, cost: 3, parcels: 2 },
    });
  });

  it('merges a partial update and validates the result', () => {
    const merged = mergeAllocationSettings(DEFAULT_ALLOCATION_SETTINGS, { preferTransferWithinDays: 5, weights: { parcels: 0, eta: null } });
    expect(validateAllocationSettings(merged)).toMatchObject({ preferTransferWithinDays: 5, weights: { eta: 1, cost: 0.1, parcels: 0 } });
    expect(() => validateAllocationSettings(mergeAllocationSettings(DEFAULT_ALLOCATION_SETTINGS, { maxWarehousesPerOrder: 0 }))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});

describe('BatchLoader', () => {
  it('answers every load of one tick with one batch, and caches', async () => {
    const batches: string[][] = [];
    const loader = new BatchLoader<string, number>(
      async (keys) => {
        batches.push(keys);
        return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
      },
      () => -1,
    );
    const results = await Promise.all([loader.load('a'), loader.load('bbb'), loader.load('a'), loader.load('missing')]);
    expect(results).toEqual([1, 3, 1, -1]);
    expect(batches).toEqual([['a', 'bbb', 'missing']]);
    await loader.load('bbb');
    expect(batches).toHaveLength(1);
  });
});
