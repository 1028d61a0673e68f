import { describe, expect, it, vi } from 'vitest';
// The console page's own browser modules (plain ES modules served as they are).
import { BACKORDER_COLUMNS, backordersQuery } from '../../src/api/console/public/columns.js';
import {
  backorderFilter,
  coalesce,
  describeError,
  formatAge,
  formatDate,
  formatDateTime,
  formatSupply,
  versionConflict,
} from '../../src/api/console/public/format.js';
import { consoleContentSecurityPolicy } from '../../src/api/console/console-route';

describe('console page helpers', () => {
  it('formats dates in UTC and ages in the largest whole unit', () => {
    expect(formatDate('2026-12-03T23:30:00Z')).toBe('2026-12-03');
    expect(formatDate(null)).toBe('—');
    expect(formatDateTime('2026-12-03T14:05:59Z')).toBe('2026-12-03 14:05 UTC');
    const now = Date.parse('2026-12-10T00:00:00Z');
    expect(formatAge('2026-12-09T23:59:20Z', now)).toBe('40 s');
    expect(formatAge('2026-12-09T23:48:00Z', now)).toBe('12 min');
    expect(formatAge('2026-12-09T19:00:00Z', now)).toBe('5 h');
    expect(formatAge('2026-12-07T00:00:00Z', now)).toBe('3 d');
    expect(formatAge('2026-12-11T00:00:00Z', now)).toBe('0 s');
  });

  it('turns the filter form into a BackorderFilter without empty fields', () => {
    expect(backorderFilter({ sku: ' MUG ', customerId: '', priority: 'HIGH', channel: '  ' })).toEqual({ sku: 'MUG', priority: 'HIGH' });
  });

  it('says a version CONFLICT plainly, and other errors with their code', () => {
    const conflict = { code: 'CONFLICT', message: 'stale', details: { expectedVersion: 3, currentVersion: 5 } };
    expect(versionConflict(conflict)).toEqual({ expectedVersion: 3, currentVersion: 5 });
    expect(describeError(conflict, 'SO-7')).toBe(
      'Someone else changed SO-7 since you loaded it: you had version 3, it is now version 5. Nothing was changed. Reload the order and try again.',
    );
    expect(versionConflict({ code: 'CONFLICT', message: 'not on hold' })).toBeNull();
    expect(describeError({ code: 'CONFLICT', message: 'The order is not on hold' })).toBe('The order is not on hold (CONFLICT)');
    expect(describeError({ code: 'NETWORK', message: 'Failed to fetch' })).toBe('Cannot reach the API: Failed to fetch');
  });

  it('says what a backorder waits for, with its place in the queue', () => {
    expect(
      formatSupply([
        {
          kind: 'PURCHASE_ORDER',
          quantity: 12,
          eta: '2026-12-12T09:00:00.000Z',
          queuePosition: 2,
          unitsAhead: 5,
          purchaseOrder: { number: 'PO-7' },
          transfer: null,
        },
        { kind: 'LEAD_TIME', quantity: 18, eta: null, queuePosition: 1, unitsAhead: 0, purchaseOrder: null, transfer: null },
      ]),
    ).toBe('12 on PO-7 by 2026-12-12, #2 (5 ahead); 18 on supplier lead time, #1 (0 ahead)');
    expect(formatSupply([])).toBe('—');
  });

  it('builds the list query from the columns table', () => {
    const query = backordersQuery([...BACKORDER_COLUMNS, { header: 'Line', fields: 'line { lineNo }', cell: () => '' }]);
    expect(query).toContain('node { id orderId orderNumber customerId priority sku backorderedQuantity quantity');
    expect(query).toContain('supply { kind quantity eta queuePosition unitsAhead purchaseOrder { number } transfer { number } }');
    expect(query).toContain('coverage coveredQuantity uncoveredQuantity eta overdue placedAt line { lineNo } }');
  });

  it('coalesces a burst of refresh requests into one run, and runs once more when asked while running', async () => {
    vi.useFakeTimers();
    try {
      let release!: () => void;
      const runs: number[] = [];
      const task = vi.fn(
        () =>
          new Promise<void>((resolve) => {
            runs.push(Date.now());
            release = resolve;
          }),
      );
      const refresh = coalesce(task, 250);
      refresh();
      refresh();
      refresh();
      await vi.advanceTimersByTimeAsync(250);
      expect(task).toHaveBeenCalledTimes(1);
      refresh(); // while the first run is still going
      await vi.advanceTimersByTimeAsync(250);
      expect(task).toHaveBeenCalledTimes(1);
      release();
      await vi.advanceTimersByTimeAsync(250);
      expect(task).toHaveBeenCalledTimes(2);
      release();
      refresh();
      refresh.cancel();
      await vi.advanceTimersByTimeAsync(1000);
      expect(task).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("allows only 'self' and the page's own websocket origin, and ignores a strange Host header", () => {
    expect(consoleContentSecurityPolicy('localhost:4000')).toContain("connect-src 'self' ws://localhost:4000 wss://localhost:4000;");
    expect(consoleContentSecurityPolicy('evil.example; script-src *')).toContain("connect-src 'self';");
    expect(consoleContentSecurityPolicy(undefined)).toMatch(/^default-src 'self'; connect-src 'self';/);
  });
});
