import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { allocationLagsMs, BatchReport } from '../../src/allocation/batch-report';
import { OrderStatus } from '../../src/orders/order.enums';
import { requestIdFrom } from '../../src/api/request-log';
import { Backlog, cachedBacklog } from '../../src/observability/backlog';
import { metricsAccessAllowed } from '../../src/observability/metrics-access';
import { OperationNames, operationTypeLabel, outcomeLabel } from '../../src/observability/operation-labels';
import { createOutageLog, HEALTHY, onFailure, onSuccess } from '../../src/observability/outage-log';
import { createLogger } from '../../src/shared/logger';
import { batchLogLine } from '../../worker/batch-log';
import { parsePrometheus } from '../support/prometheus';

/** A real pino logger whose lines are captured instead of written to stderr. */
function capturingLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ logLevel: level }, 'test-part', { destination }), lines };
}

describe('logger', () => {
  it('writes one JSON line per message with level, time, name, message and fields', () => {
    const { logger, lines } = capturingLogger('info');
    logger.debug('not shown');
    logger.info('order placed', { orderId: 'o-1' });
    logger.error('it broke', { error: 'boom' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', name: 'test-part', message: 'order placed', orderId: 'o-1' });
    expect(new Date(lines[0].at).toISOString()).toBe(lines[0].at);
    expect(lines[1]).toMatchObject({ level: 'error', message: 'it broke', error: 'boom' });
  });
});

describe('the outage rule', () => {
  const minute = 60_000;

  it('logs the first failure, then at most one summary per interval, then one line on recovery', () => {
    let state = HEALTHY;
    const lines: Array<string | null> = [];
    const fail = (now: number) => {
      const [next, line] = onFailure(state, 'redis connection', 'ECONNREFUSED', now, minute);
      state = next;
      lines.push(line ? `${line.level} ${line.message} ${JSON.stringify(line.fields)}` : null);
    };
    // ioredis retries every 200 ms to 2 s: 300 errors over three minutes.
    for (let i = 0; i < 300; i++) fail(i * 600);
    const written = lines.filter(Boolean);
    expect(written[0]).toBe('warn redis connection failed {"error":"ECONNREFUSED"}');
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(written.length).toBeLessThanOrEqual(4); // the first line and one per minute
    expect(written[1]).toMatch(/^warn redis connection still failing .*"failures":100,"failuresInOutage":101,"downForMs":60000/);

    const [healthy, recovered] = onSuccess(state, 'redis connection', 300 * 600);
    expect(recovered).toMatchObject({
      level: 'info',
      message: 'redis connection recovered',
      fields: { downForMs: 300 * 600, failuresInOutage: 300 },
    });
    expect(healthy).toEqual(HEALTHY);
    expect(onSuccess(healthy, 'redis connection', 1)[1]).toBeNull(); // nothing to say while healthy
  });

  it('writes those lines through a real logger, and starts afresh after a recovery', () => {
    const { logger, lines } = capturingLogger();
    let now = 0;
    const outage = createOutageLog(logger, 'redis connection', { connection: 'publish' }, { intervalMs: 1000, clock: () => now });
    for (; now < 5000; now += 100) outage.failure(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    outage.success();
    outage.success();
    outage.failure(new Error('again'));
    expect(lines.map((l) => l.message)).toEqual([
      'redis connection failed',
      'redis connection still failing',
      'redis connection still failing',
      'redis connection still failing',
      'redis connection still failing',
      'redis connection recovered',
      'redis connection failed',
    ]);
    expect(lines.every((l) => l.connection === 'publish' && l.name === 'test-part')).toBe(true);
    expect(lines[0]).toMatchObject({ level: 'warn', error: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(lines[1]).toMatchObject({ failures: 10 });
  });
});

describe('metric labels', () => {
  it('keeps plain operation names up to a cap; anonymous, unresolved and odd names get fixed labels', () => {
    const names = new OperationNames(2);
    expect(names.label('PlaceOrder', true)).toBe('PlaceOrder');
    expect(names.label(null, true)).toBe('anonymous');
    expect(names.label('PlaceOrder', false)).toBe('unknown');
    expect(names.label('bad name; drop', true)).toBe('other');
    expect(names.label('x'.repeat(65), true)).toBe('other');
    expect(names.label('Orders', true)).toBe('Orders');
    expect(names.label('Third', true)).toBe('other');
    expect(names.label('PlaceOrder', true)).toBe('PlaceOrder');
  });

  it('types and outcomes come from closed sets', () => {
    expect(operationTypeLabel('mutation')).toBe('mutation');
    expect(operationTypeLabel(undefined)).toBe('unknown');
    expect(outcomeLabel(undefined)).toBe('ok');
    expect(outcomeLabel([])).toBe('ok');
    expect(outcomeLabel([{ extensions: { code: 'NOT_FOUND' } }, { extensions: { code: 'FORBIDDEN' } }])).toBe('NOT_FOUND');
    expect(outcomeLabel([{ extensions: { code: 'SOMETHING_NEW' } }])).toBe('OTHER_ERROR');
    expect(outcomeLabel([{}])).toBe('OTHER_ERROR');
  });
});

describe('request ids and metrics access', () => {
  it('keeps a sane incoming request id and replaces anything else', () => {
    expect(requestIdFrom('req-42.a:b_c')).toBe('req-42.a:b_c');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'line\nbreak', ['a', 'b']]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('/metrics is open without METRICS_TOKEN and wants the exact bearer token with it', () => {
    expect(metricsAccessAllowed(undefined, undefined)).toBe(true);
    expect(metricsAccessAllowed('Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(metricsAccessAllowed(undefined, 's3cret-token')).toBe(false);
    expect(metricsAccessAllowed('Bearer s3cret-tokex', 's3cret-token')).toBe(false);
    expect(metricsAccessAllowed('Bearer s3cret', 's3cret-token')).toBe(false);
    expect(metricsAccessAllowed('s3cret-token', 's3cret-token')).toBe(false);
  });
});

describe('allocation batch reports', () => {
  it('measures allocation lag only for orders that leave PENDING', () => {
    const placed = new Date('2026-12-01T10:00:00Z');
    const orders = new Map<string, any>([
      ['new', { status: OrderStatus.PENDING, placedAt: placed }],
      ['old', { status: OrderStatus.BACKORDERED, placedAt: new Date('2026-11-01T00:00:00Z') }],
    ]);
    const plan = {
      orders: [
        { orderId: 'new', status: OrderStatus.ALLOCATED },
        { orderId: 'old', status: OrderStatus.ALLOCATED },
      ] as any[],
    };
    expect(allocationLagsMs({ orders }, plan, new Date('2026-12-01T10:00:01.500Z'))).toEqual([1500]);
  });

  it('logs a batch as one line with size, phases and outcome', () => {
    const report: BatchReport = {
      outcome: 'failed',
      requests: 3,
      orders: 0,
      durationMs: 12.345,
      phasesMs: { load: 4.44, plan: 1, apply: 0 },
      replans: 1,
      allocationLagsMs: [],
      error: 'boom',
    };
    expect(batchLogLine(report)).toEqual({
      level: 'error',
      message: 'allocation batch failed',
      fields: {
        outcome: 'failed',
        requests: 3,
        orders: 0,
        allocatedOrders: 0,
        durationMs: 12.3,
        loadMs: 4.4,
        planMs: 1,
        applyMs: 0,
        replans: 1,
        error: 'boom',
      },
    });
  });
});

describe('the backlog cache', () => {
  const figures = (pendingOrders: number): Backlog => ({
    pendingOrders,
    oldestPendingOrderSeconds: 0,
    undeliveredOutboxMessages: 0,
    oldestUndeliveredOutboxSeconds: 0,
    owedAllocationRequests: 0,
    oldestOwedAllocationRequestSeconds: 0,
    setAsideAllocationRequests: 0,
    openBackorderLines: 0,
    openBackorderUnits: 0,
  });

  it('asks the database once per TTL however many scrapes arrive, and reports a failed reading', async () => {
    let now = 0;
    let queries = 0;
    let failNext = false;
    const cache = cachedBacklog(
      async () => {
        queries += 1;
        if (failNext) throw new Error('database down');
        return figures(queries);
      },
      { ttlMs: 5000, clock: () => now },
    );
    const storm = await Promise.all(Array.from({ length: 50 }, () => cache.read()));
    expect(queries).toBe(1);
    expect(storm.every((r) => r.ok && r.backlog?.pendingOrders === 1)).toBe(true);
    now = 4999;
    await cache.read();
    expect(queries).toBe(1);
    now = 5000;
    failNext = true;
    expect(await cache.read()).toEqual({ ok: false, backlog: figures(1) }); // the last figures, marked stale
    expect(queries).toBe(2);
    now = 10_000;
    failNext = false;
    expect(await cache.read()).toEqual({ ok: true, backlog: figures(3) });
  });
});

describe('the Prometheus text parser used by the tests', () => {
  it('reads names, labels and values', () => {
    expect(parsePrometheus('# HELP x y\n# TYPE x counter\nx{a="1",b="q\\"z"} 3\ny 0.5\n')).toEqual([
      { name: 'x', labels: { a: '1', b: 'q\\"z' }, value: 3 },
      { name: 'y', labels: {}, value: 0.5 },
    ]);
  });
});
