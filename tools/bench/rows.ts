import type { DeliveryOptionsFigures } from './delivery-options';
import type { LatencyFigures, ThroughputFigures } from './phases';
import type { PgbenchFigures } from './pgbench';
import type { HotSkuFigures, ReadFigures, ReceiptFigures } from './scenarios';
import type { SubscriptionFigures } from './subscriptions';
import { TableRow, allOf, atLeast, atMost, figure, percentOf, withinOf } from './table';

/** The targets of issue #11. */
export const TARGETS = {
  ordersPerSecond: 1000,
  p99PlacedToAllocatedMs: 200,
  offeredRate: 500,
  /** The API keeps up when it answers at least this share of the offered rate. */
  keptUpShare: 0.95,
  hotAllocationsPerSecond: 500,
  receiptSeconds: 2,
  readP99Ms: 10,
  readRate: 500,
  subscriptionP99Ms: 100,
  preloadedTolerance: 0.2,
};

/** Everything a run measured; a phase that did not run is absent, one that failed carries its error instead. */
export interface Results {
  workers: number;
  throughput?: ThroughputFigures;
  latency?: LatencyFigures;
  hot?: HotSkuFigures;
  receipt?: ReceiptFigures;
  availability?: ReadFigures;
  deliveryOptions?: DeliveryOptionsFigures;
  subscriptions?: SubscriptionFigures;
  moreWorkers?: { workers: number; throughput: ThroughputFigures };
  preload?: { orders: number; lines: number; seconds: number };
  preloadedThroughput?: ThroughputFigures;
  preloadedLatency?: LatencyFigures;
  pgbench?: PgbenchFigures;
  /** By phase name: why it produced no figures. */
  errors: Record<string, string>;
}

const ms = (v: number | null | undefined) => (v == null ? '—' : `${figure(v, v >= 100 ? 0 : 1)} ms`);
const perSecond = (v: number | null | undefined, unit = 'orders/s') => (v == null ? '—' : `${figure(v, 0)} ${unit}`);

/** CPU ms per order of the API, the worker(s) and PostgreSQL (the benchmark database's backends). */
export function cpuDetail(perOrder: Record<string, number> | undefined): string | undefined {
  if (!perOrder || Object.keys(perOrder).length === 0) return undefined;
  const parts = [
    ['API', 'api'],
    ['worker', 'worker'],
    ['PostgreSQL', 'postgres'],
  ].map(([label, key]) => `${label} ${perOrder[key] ?? '—'}`);
  const total = ['api', 'worker', 'postgres'].reduce((s, k) => s + (perOrder[k] ?? 0), 0);
  return `CPU ms per order: ${parts.join(', ')} (total ${Math.round(total * 100) / 100})`;
}

/** A phase's mark, or SKIPPED with its error as the detail when it failed. */
function failed(errors: Record<string, string>, phase: string): string | undefined {
  return errors[phase] ? `failed: ${errors[phase].slice(0, 300)}` : undefined;
}

function keptUp(l: LatencyFigures): boolean {
  return !l.overloaded && l.failed === 0 && l.acceptedPerSecond >= l.ratePerSecond * TARGETS.keptUpShare;
}

function throughputRow(what: string, t: ThroughputFigures | undefined, error?: string): TableRow {
  return {
    what,
    target: `≥ ${figure(TARGETS.ordersPerSecond, 0)} orders/s`,
    value: t ? `${perSecond(t.allocatedPerSecond)}${t.failed ? ` (${t.failed} failed)` : ''}` : '—',
    mark: t ? allOf(atLeast(t.allocatedPerSecond, TARGETS.ordersPerSecond), t.failed === 0 ? 'PASS' : 'SHORT') : 'SKIPPED',
    detail: error ?? cpuDetail(t?.cpuMsPerOrder),
  };
}

function latencyRow(what: string, l: LatencyFigures | undefined, error?: string): TableRow {
  const p99 = l?.placedToAllocatedMs?.p99 ?? null;
  const comparable = l !== undefined && l.ratePerSecond >= TARGETS.offeredRate;
  return {
    what,
    target: `p99 ≤ ${TARGETS.p99PlacedToAllocatedMs} ms, API keeping up`,
    value: l ? `p99 ${ms(p99)}, API kept ${perSecond(l.acceptedPerSecond)}` : '—',
    mark: !l ? 'SKIPPED' : !comparable ? 'INFO' : allOf(atMost(p99, TARGETS.p99PlacedToAllocatedMs), keptUp(l) ? 'PASS' : 'SHORT'),
    detail:
      error ??
      (l
        ? `offered ${figure(l.ratePerSecond, 0)}/s for ${l.seconds} s${l.overloaded ? `; OVERLOADED: ${l.unansweredAtStop} unanswered, API stopped` : ''}${l.failed ? `; ${l.failed} failed` : ''}`
        : undefined),
  };
}

export function buildTable(r: Results): TableRow[] {
  const e = r.errors;
  const rows: TableRow[] = [];
  const workers = `${r.workers} worker${r.workers === 1 ? '' : 's'}`;
  rows.push(
    throughputRow(
      `orders/s placed and allocated end to end (1-3 lines, 200 SKUs, plenty of stock; ${workers})`,
      r.throughput,
      failed(e, 'throughput'),
    ),
  );
  rows.push(
    latencyRow(
      `p99 placed → allocated at ${figure(r.latency?.ratePerSecond ?? TARGETS.offeredRate, 0)} orders/s offered`,
      r.latency,
      failed(e, 'latency'),
    ),
  );

  const h = r.hot;
  rows.push({
    what: `hot SKU: ${figure(h?.buyers ?? 2000, 0)} buyers for one SKU with ${figure(h?.units ?? 500, 0)} units`,
    target: `≥ ${TARGETS.hotAllocationsPerSecond} allocations/s, exactly ${figure(h?.units ?? 500, 0)} allocated`,
    value: h ? `${perSecond(h.allocationsPerSecond, 'allocations/s')}, ${figure(h.allocatedUnits, 0)} allocated` : '—',
    mark: h
      ? allOf(atLeast(h.allocationsPerSecond, TARGETS.hotAllocationsPerSecond), h.allocatedUnits === Math.min(h.units, h.buyers) ? 'PASS' : 'SHORT')
      : 'SKIPPED',
    detail:
      failed(e, 'hot') ??
      (h
        ? `${figure(h.backorderedUnits, 0)} backordered, ${figure(h.reservedUnits, 0)} reserved (orders decided per second, end to end)`
        : undefined),
  });

  const c = r.receipt;
  rows.push({
    what: `a goods receipt that serves ${figure(c?.waitingLines ?? 10_000, 0)} waiting backorder lines`,
    target: `≤ ${TARGETS.receiptSeconds} s from receipt to the last line allocated`,
    value: c ? `${figure(c.seconds, 2)} s` : '—',
    mark: c ? allOf(atMost(c.seconds, TARGETS.receiptSeconds), c.linesLeftWaiting === 0 ? 'PASS' : 'SHORT') : 'SKIPPED',
    detail:
      failed(e, 'receipt') ??
      (c
        ? `receivePurchaseOrder answered in ${ms(c.receiptHttpMs)}${c.linesLeftWaiting ? `; ${c.linesLeftWaiting} lines still waiting when it stalled` : ''}`
        : undefined),
  });

  const readRow = (
    what: string,
    phase: string,
    rate: number | undefined,
    p99: number | null | undefined,
    detail: string | undefined,
    errors: number,
  ): TableRow => ({
    what,
    target: `p99 ≤ ${TARGETS.readP99Ms} ms at ${TARGETS.readRate} requests/s`,
    value: p99 === undefined ? '—' : `p99 ${ms(p99)}`,
    mark:
      p99 === undefined
        ? 'SKIPPED'
        : (rate ?? 0) < TARGETS.readRate
          ? 'INFO'
          : allOf(atMost(p99, TARGETS.readP99Ms), errors === 0 ? 'PASS' : 'SHORT'),
    detail: failed(e, phase) ?? detail,
  });
  const a = r.availability;
  rows.push(
    readRow(
      '`availability` (one SKU, a region)',
      'availability',
      a?.rate,
      a ? (a.latencyMs?.p99 ?? null) : undefined,
      a
        ? `${figure(a.rate, 0)} requests/s offered for ${a.seconds} s, ${figure(a.answeredPerSecond, 0)}/s answered, p50 ${ms(a.latencyMs?.p50)}, ${a.errors} errors`
        : undefined,
      a?.errors ?? 0,
    ),
  );
  const d = r.deliveryOptions;
  rows.push(
    readRow(
      '`deliveryOptions` (5-line cart, tools/bench-options)',
      'options',
      d?.rate,
      d ? d.p99 : undefined,
      d
        ? `${figure(d.rate, 0)} requests/s offered for ${d.seconds} s, ${figure(d.answeredPerSecond, 0)}/s answered, p50 ${ms(d.p50)}, ${d.errors} errors`
        : undefined,
      d?.errors ?? 0,
    ),
  );

  const s = r.subscriptions;
  rows.push({
    what: `subscriptions: ${figure(s?.subscribers ?? 1000, 0)} subscribers on \`orderUpdated\` (graphql-ws), ${figure(s?.rate ?? 200, 0)} events/s`,
    target: `p99 delivery ≤ ${TARGETS.subscriptionP99Ms} ms`,
    value: s ? `p99 ${ms(s.deliveryMs?.p99)}` : '—',
    mark: s
      ? allOf(atMost(s.deliveryMs?.p99 ?? Infinity, TARGETS.subscriptionP99Ms), s.missing === 0 && s.failedSends === 0 ? 'PASS' : 'SHORT')
      : 'SKIPPED',
    detail:
      failed(e, 'subscriptions') ??
      (s
        ? `event.at → received; note sent → received p99 ${ms(s.sendToReceiveMs?.p99)}; ${figure(s.delivered, 0)} of ${figure(s.sent, 0)} delivered` +
          `${s.missing ? `, ${s.missing} missing` : ''}${s.failedSends ? `, ${s.failedSends} sends failed` : ''}`
        : undefined),
  });

  const p = r.preload;
  const pt = r.preloadedThroughput;
  const pl = r.preloadedLatency;
  const history = `with ${figure(p?.orders ?? 1_000_000, 0)} orders already in the database`;
  const tol = `${TARGETS.preloadedTolerance * 100}%`;
  rows.push({
    what: `orders/s end to end ${history}`,
    target: `within ${tol} of the empty database`,
    value: pt ? `${perSecond(pt.allocatedPerSecond)} (${percentOf(pt.allocatedPerSecond, r.throughput?.allocatedPerSecond)})` : '—',
    mark: pt
      ? r.throughput
        ? withinOf(pt.allocatedPerSecond, r.throughput.allocatedPerSecond, TARGETS.preloadedTolerance, true)
        : 'INFO'
      : 'SKIPPED',
    detail:
      failed(e, 'preloaded') ??
      (pt ? `${cpuDetail(pt.cpuMsPerOrder) ?? ''}${p ? `; history loaded in ${p.seconds} s (${figure(p.lines, 0)} lines)` : ''}` : undefined),
  });
  const p99 = pl?.placedToAllocatedMs?.p99 ?? null;
  const baseP99 = r.latency?.placedToAllocatedMs?.p99 ?? null;
  rows.push({
    what: `p99 placed → allocated ${history}`,
    target: `within ${tol} of the empty database, API keeping up`,
    value: pl ? `p99 ${ms(p99)} (${percentOf(p99, baseP99)}), API kept ${perSecond(pl.acceptedPerSecond)}` : '—',
    mark: pl
      ? baseP99 !== null
        ? allOf(withinOf(p99, baseP99, TARGETS.preloadedTolerance, false), keptUp(pl) ? 'PASS' : 'SHORT')
        : 'INFO'
      : 'SKIPPED',
    detail: failed(e, 'preloaded'),
  });

  const w = r.moreWorkers;
  rows.push({
    what: `orders/s end to end with ${w?.workers ?? 3} worker processes`,
    target: `≥ the figure with ${workers} (allocation scales out)`,
    value: w
      ? `${perSecond(w.throughput.allocatedPerSecond)} (${percentOf(w.throughput.allocatedPerSecond, r.throughput?.allocatedPerSecond)} of ${workers})`
      : '—',
    mark: w ? (r.throughput ? atLeast(w.throughput.allocatedPerSecond, r.throughput.allocatedPerSecond) : 'INFO') : 'SKIPPED',
    detail: failed(e, 'workers') ?? cpuDetail(w?.throughput.cpuMsPerOrder),
  });

  const g = r.pgbench;
  const ratio = g && r.throughput ? r.throughput.allocatedPerSecond / g.tps : null;
  rows.push({
    what: 'pgbench TPC-B on the same PostgreSQL, and orders/s ÷ TPC-B tps',
    target: 'for comparing machines',
    value: g ? `${figure(g.tps, 0)} tps; ratio ${ratio === null ? '—' : figure(ratio, 3)}` : '—',
    mark: g ? 'INFO' : 'SKIPPED',
    detail: failed(e, 'pgbench') ?? (g ? `scale ${g.scale}, ${g.clients} clients, ${g.seconds} s` : undefined),
  });
  return rows;
}
