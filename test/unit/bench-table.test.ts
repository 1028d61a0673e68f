import { describe, expect, it } from 'vitest';
import { placeOrderOutcome } from '../../tools/bench/client';
import { parseOptionsOutput } from '../../tools/bench/delivery-options';
import { parsePgbenchTps } from '../../tools/bench/pgbench';
import { Results, TARGETS, buildTable, cpuDetail } from '../../tools/bench/rows';
import { distribution } from '../../tools/bench/stats';
import { FULL, PHASES, QUICK, UsageError, parsePhaseList, selectPhases } from '../../tools/bench/suite';
import { allOf, atLeast, atMost, figure, formatTable, percentOf, withinOf, wrap } from '../../tools/bench/table';
import type { LatencyFigures, ThroughputFigures } from '../../tools/bench/phases';

/** The pure parts of `npm run bench`: statistics, judging against targets, the table, option parsing. No timing. */

describe('marks', () => {
  it('judges at-least and at-most targets, with a missing figure SKIPPED', () => {
    expect(atLeast(1000, 1000)).toBe('PASS');
    expect(atLeast(999, 1000)).toBe('SHORT');
    expect(atLeast(null, 1000)).toBe('SKIPPED');
    expect(atLeast(Number.NaN, 1000)).toBe('SKIPPED');
    expect(atMost(200, 200)).toBe('PASS');
    expect(atMost(200.1, 200)).toBe('SHORT');
    expect(atMost(undefined, 200)).toBe('SKIPPED');
  });

  it('needs every condition for a PASS', () => {
    expect(allOf('PASS', 'PASS')).toBe('PASS');
    expect(allOf('PASS', 'SHORT')).toBe('SHORT');
    expect(allOf('PASS', 'SKIPPED')).toBe('SKIPPED');
    expect(allOf()).toBe('SKIPPED');
  });

  it('compares with the empty-database figure in the right direction', () => {
    // Rates: at most 20% lower.
    expect(withinOf(800, 1000, 0.2, true)).toBe('PASS');
    expect(withinOf(799, 1000, 0.2, true)).toBe('SHORT');
    expect(withinOf(2000, 1000, 0.2, true)).toBe('PASS');
    // Latencies: at most 20% higher.
    expect(withinOf(120, 100, 0.2, false)).toBe('PASS');
    expect(withinOf(121, 100, 0.2, false)).toBe('SHORT');
    expect(withinOf(50, 100, 0.2, false)).toBe('PASS');
    expect(withinOf(50, null, 0.2, false)).toBe('SKIPPED');
    expect(percentOf(83, 100)).toBe('83%');
    expect(percentOf(1, 0)).toBe('—');
  });
});

describe('formatting', () => {
  it('groups thousands and rounds', () => {
    expect(figure(1234567.891, 1)).toBe('1,234,567.9');
    expect(figure(999, 0)).toBe('999');
    expect(figure(-1500.25, 2)).toBe('-1,500.25');
    expect(figure(null)).toBe('—');
  });

  it('wraps at spaces within the width, keeping long words whole', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
    expect(wrap('', 5)).toEqual(['']);
  });

  it('prints one line per row (more when wrapped), its detail under it, and the count of marks', () => {
    const text = formatTable([
      { what: 'orders/s', target: '≥ 1,000 orders/s', value: '1,200 orders/s', mark: 'PASS', detail: 'CPU ms per order: API 1' },
      { what: 'p99', target: '≤ 200 ms', value: '—', mark: 'SKIPPED' },
      { what: 'receipt', target: '≤ 2 s', value: '3 s', mark: 'SHORT' },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^mark\s+what\s+target\s+measured$/);
    expect(lines.find((l) => l.startsWith('PASS'))).toMatch(/orders\/s\s+≥ 1,000 orders\/s\s+1,200 orders\/s$/);
    expect(lines[lines.findIndex((l) => l.startsWith('PASS')) + 1].trim()).toBe('CPU ms per order: API 1');
    expect(lines.at(-1)).toBe('1 PASS, 1 SHORT, 1 SKIPPED');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
  });
});

describe('statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const d = distribution(Array.from({ length: 100 }, (_, i) => 100 - i))!;
    expect(d.p50).toBe(50);
    expect(d.p99).toBe(99);
    expect(d.max).toBe(100);
    expect(d.mean).toBe(50.5);
    expect(distribution([])).toBeNull();
  });
});

describe('phases and sizes', () => {
  it('selects --only minus --skip, in the run order, and refuses unknown names', () => {
    expect([...selectPhases(undefined, undefined)]).toEqual([...PHASES]);
    expect([...selectPhases('latency,throughput', undefined)]).toEqual(['throughput', 'latency']);
    expect(selectPhases(undefined, 'pgbench,preloaded').has('pgbench')).toBe(false);
    expect(selectPhases(undefined, 'pgbench,preloaded').size).toBe(PHASES.length - 2);
    expect(() => parsePhaseList('throughput,speed')).toThrow(UsageError);
  });

  it('runs the sizes of issue #11 in full and smaller ones in --quick', () => {
    expect(FULL).toMatchObject({
      rate: 500,
      hotBuyers: 2000,
      hotUnits: 500,
      receiptLines: 10_000,
      readRate: 500,
      subscribers: 1000,
      eventRate: 200,
      preload: 1_000_000,
      moreWorkers: 3,
    });
    for (const key of Object.keys(FULL) as Array<keyof typeof FULL>) expect(QUICK[key]).toBeLessThanOrEqual(FULL[key]);
  });
});

describe('reading the other tools', () => {
  it('reads the tps pgbench prints', () => {
    expect(parsePgbenchTps('latency average = 4.1 ms\ntps = 975.123456 (without initial connection time)\n')).toBe(975.123456);
    expect(parsePgbenchTps('nothing here')).toBeNull();
  });

  it('reads the rated deliveryOptions result of the JSON document tools/bench-options prints before its table', () => {
    const results = [
      {
        query: 'deliveryOptions',
        rate: 'one at a time',
        requests: 300,
        errors: 0,
        answeredPerSecond: 90,
        latencyMs: { count: 300, p50: 1.1, p99: 3 },
      },
      { query: 'deliveryOptions', rate: 200, requests: 2000, errors: 0, answeredPerSecond: 199, latencyMs: { count: 2000, p50: 2.1, p99: 8.4 } },
    ];
    const stdout = `${JSON.stringify({ targetP99Ms: 10, results }, null, 2)}\nquery  shape  rate ...\n`;
    expect(parseOptionsOutput(stdout)).toEqual({ rate: 200, seconds: 0, requests: 2000, errors: 0, answeredPerSecond: 199, p50: 2.1, p99: 8.4 });
    expect(parseOptionsOutput('no json')).toBeNull();
    expect(parseOptionsOutput('{"results": [{"query": "availability", "rate": 200, "latencyMs": {"p99": 1}}]}')).toBeNull();
  });

  it('takes the order id from a placeOrder answer', () => {
    expect(placeOrderOutcome(200, '{"data":{"placeOrder":{"id":"abc","status":"PENDING"}}}')).toEqual({ ok: true, id: 'abc' });
    expect(placeOrderOutcome(200, '{"errors":[{"message":"no","extensions":{"code":"BAD_USER_INPUT"}}],"data":null}')).toEqual({
      ok: false,
      error: 'BAD_USER_INPUT: no',
    });
  });
});

const throughput = (allocatedPerSecond: number, extra: Partial<ThroughputFigures> = {}) =>
  ({ allocatedPerSecond, failed: 0, cpuMsPerOrder: { api: 1, worker: 0.5, postgres: 0.75 }, ...extra }) as ThroughputFigures;
const latency = (p99: number, acceptedPerSecond: number, extra: Partial<LatencyFigures> = {}) =>
  ({
    ratePerSecond: 500,
    seconds: 10,
    acceptedPerSecond,
    overloaded: false,
    failed: 0,
    unansweredAtStop: 0,
    placedToAllocatedMs: { p99 },
    ...extra,
  }) as LatencyFigures;

describe('the table of issue #11', () => {
  const rowOf = (results: Results, start: string) => buildTable(results).find((r) => r.what.startsWith(start))!;

  it('has every row of the issue, SKIPPED when nothing ran', () => {
    const rows = buildTable({ workers: 1, errors: {} });
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r.mark === 'SKIPPED' && r.value === '—')).toBe(true);
  });

  it('judges throughput with its CPU per process, and latency only with the API keeping up', () => {
    const results: Results = { workers: 1, errors: {}, throughput: throughput(1200), latency: latency(150, 499) };
    const t = rowOf(results, 'orders/s placed');
    expect(t).toMatchObject({ mark: 'PASS', value: '1,200 orders/s' });
    expect(t.detail).toBe('CPU ms per order: API 1, worker 0.5, PostgreSQL 0.75 (total 2.25)');
    expect(rowOf(results, 'p99 placed → allocated at').mark).toBe('PASS');
    // A fast p99 over the few orders an API that fell behind placed is no pass.
    expect(rowOf({ ...results, latency: latency(150, 300) }, 'p99 placed → allocated at').mark).toBe('SHORT');
    expect(rowOf({ ...results, latency: latency(150, 500, { overloaded: true }) }, 'p99 placed → allocated at').mark).toBe('SHORT');
    // Below the offered rate of the issue the figure is printed but not judged.
    expect(rowOf({ ...results, latency: latency(150, 100, { ratePerSecond: 100 }) }, 'p99 placed → allocated at').mark).toBe('INFO');
    expect(rowOf({ ...results, throughput: throughput(1200, { failed: 3 }) }, 'orders/s placed').mark).toBe('SHORT');
  });

  it('passes the hot SKU only with exactly its units allocated', () => {
    const hot = {
      buyers: 2000,
      units: 500,
      allocationsPerSecond: 600,
      allocatedUnits: 500,
      backorderedUnits: 1500,
      reservedUnits: 500,
      throughput: throughput(600),
    };
    expect(rowOf({ workers: 1, errors: {}, hot }, 'hot SKU').mark).toBe('PASS');
    expect(rowOf({ workers: 1, errors: {}, hot: { ...hot, allocatedUnits: 499 } }, 'hot SKU').mark).toBe('SHORT');
    expect(rowOf({ workers: 1, errors: {}, hot: { ...hot, allocationsPerSecond: 400 } }, 'hot SKU').mark).toBe('SHORT');
  });

  it('compares the preloaded rows and the workers row with the empty-database run', () => {
    const base: Results = { workers: 1, errors: {}, throughput: throughput(1000), latency: latency(100, 500) };
    const r = {
      ...base,
      preload: { orders: 1_000_000, lines: 2_000_000, seconds: 60 },
      preloadedThroughput: throughput(850),
      preloadedLatency: latency(125, 500),
    };
    expect(rowOf(r, 'orders/s end to end with 1,000,000')).toMatchObject({ mark: 'PASS', value: '850 orders/s (85%)' });
    expect(rowOf(r, 'p99 placed → allocated with 1,000,000').mark).toBe('SHORT');
    expect(rowOf({ ...r, preloadedLatency: latency(110, 500) }, 'p99 placed → allocated with').mark).toBe('PASS');
    expect(rowOf({ ...base, moreWorkers: { workers: 3, throughput: throughput(900) } }, 'orders/s end to end with 3 worker').mark).toBe('SHORT');
    expect(rowOf({ ...base, moreWorkers: { workers: 3, throughput: throughput(2500) } }, 'orders/s end to end with 3 worker').value).toBe(
      '2,500 orders/s (250% of 1 worker)',
    );
  });

  it('prints the pgbench ratio for comparison, and a failed phase with its error', () => {
    const r: Results = {
      workers: 1,
      errors: { subscriptions: 'socket closed' },
      throughput: throughput(1000),
      pgbench: { scale: 10, clients: 4, seconds: 10, tps: 2000 },
    };
    expect(rowOf(r, 'pgbench')).toMatchObject({ mark: 'INFO', value: '2,000 tps; ratio 0.5' });
    expect(rowOf(r, 'subscriptions')).toMatchObject({ mark: 'SKIPPED', detail: 'failed: socket closed' });
  });

  it('marks the read rows against their own target', () => {
    const availability = {
      query: 'availability',
      rate: TARGETS.readRate,
      seconds: 10,
      requests: 5000,
      errors: 0,
      firstError: null,
      answeredPerSecond: 500,
      latencyMs: { count: 5000, mean: 3, p50: 2, p90: 5, p99: 9.5, max: 20 },
    };
    expect(rowOf({ workers: 1, errors: {}, availability }, '`availability`').mark).toBe('PASS');
    expect(rowOf({ workers: 1, errors: {}, availability: { ...availability, errors: 1 } }, '`availability`').mark).toBe('SHORT');
  });

  it('leaves out what a process group did not report', () => {
    expect(cpuDetail({})).toBeUndefined();
    expect(cpuDetail({ api: 2 })).toBe('CPU ms per order: API 2, worker —, PostgreSQL — (total 2)');
  });
});
