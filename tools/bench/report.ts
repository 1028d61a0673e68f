import type { CpuUsage } from './cpu';
import type { IntegrityCheck, Outcome, WaitSample } from './database';
import type { BacklogFigures, LatencyFigures, ThroughputFigures } from './phases';
import { Distribution, ms } from './stats';
import { TableRow, formatTable } from './table';
import type { SeedSummary } from './workload';

/** The figures as a compact table for people, or as one JSON document for machines. */

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; platform: string; memoryGiB: number; loadAverageAtStart: number[] };
  settings: {
    orders: number;
    concurrency: number;
    maxSeconds: number;
    drainSeconds: number;
    backlog: number;
    ratePerSecond: number;
    seconds: number;
    seed: number;
    services: string;
    allocationBatchSize: number;
    outboxPollMs: number;
    nodeEnv: string;
    database: string;
    redisPrefix: string;
  };
  seed: SeedSummary & { seconds: number };
  throughput: ThroughputFigures | null;
  backlog: BacklogFigures | null;
  latency: LatencyFigures | null;
  outcome: Outcome;
  /** The table of issue #11 (rows.ts), each row judged against its target. */
  table: TableRow[];
  integrity: { ok: boolean; checks: IntegrityCheck[] };
  services: Record<string, { warnings: number; errors: number }>;
  totalSeconds: number;
}

const dist = (d: Distribution | null, keys: Array<keyof Distribution> = ['p50', 'p90', 'p99', 'max']) =>
  d ? keys.map((k) => `${k} ${ms(d[k] as number)}`).join('  ') : '—';

function cpuLine(cpu: CpuUsage): string {
  const order = ['api', 'worker', 'postgres', 'pg-shared', 'redis', 'bench', 'bench-db'];
  const parts = order
    .filter((name) => cpu.groups[name])
    .map((name) => `${name} ${cpu.groups[name].percentOfCore}% (sys ${cpu.groups[name].systemPercentOfCore})`);
  if (cpu.otherPercentOfCore !== null) parts.push(`other ${cpu.otherPercentOfCore}%`);
  return `${parts.join('  ')}${cpu.machineBusyPercent !== null ? `   (machine ${cpu.machineBusyPercent}% busy)` : ''}`;
}

function backendsLines(top: WaitSample[]): string[] {
  return top.slice(0, 5).map((t) => `${String(t.share).padStart(3)}%  ${t.key} (avg ${t.backends} backends)`);
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(34)}${value}`;
}

export function formatText(r: BenchReport): string {
  const out: string[] = [];
  const s = r.settings;
  out.push(
    `backorder-oms benchmark — ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.platform}`,
  );
  out.push(`load average before the run: ${r.machine.loadAverageAtStart.join(' ')} (other work on the machine competes for the same cores)`);
  out.push(
    `settings: --orders ${s.orders} --concurrency ${s.concurrency} --max-seconds ${s.maxSeconds} --rate ${s.ratePerSecond} --seconds ${s.seconds} ` +
      `--drain-seconds ${s.drainSeconds}${s.backlog ? ` --backlog ${s.backlog}` : ''} --seed ${s.seed}; ` +
      `${s.services}; NODE_ENV=${s.nodeEnv} ALLOCATION_BATCH_SIZE=${s.allocationBatchSize} OUTBOX_POLL_MS=${s.outboxPollMs}`,
  );
  out.push(`seeded in ${r.seed.seconds} s over GraphQL: ${r.seed.warehouses} warehouses, ${r.seed.products} products, ${r.seed.stockUnits} units`);

  const t = r.throughput;
  if (t) {
    out.push('', `Phase 1 — throughput: ${t.orders} orders, ${t.concurrency} in flight, sending for at most ${t.maxSeconds} s`);
    if (t.cappedByTime) out.push(row('time cap reached', `${t.sent} of ${t.orders} orders sent in ${t.maxSeconds} s`));
    out.push(row('placed (HTTP accepted)', `${t.placedPerSecond} orders/s   (${t.accepted} ok, ${t.failed} failed, in ${t.sendSeconds} s)`));
    out.push(row('placed + allocated, end to end', `${t.allocatedPerSecond} orders/s   (none PENDING after ${t.endToEndSeconds} s)`));
    out.push(row('placeOrder HTTP latency', dist(t.httpLatencyMs)));
    out.push(row('placed→allocated (event.at)', dist(t.placedToAllocatedMs)));
    out.push(row('placed→allocated (visible)', dist(t.placedToVisibleMs)));
    out.push(row('allocator transactions', allocatorLine(t.allocator)));
    out.push(row('CPU, % of one core', cpuLine(t.cpu)));
    out.push(row('CPU ms per order', perOrderLine(t.cpuMsPerOrder, r.machine.cpus)));
    backendsLines(t.postgresBackends.top).forEach((line, i) => out.push(row(i === 0 ? 'postgres backends (sampled)' : '', line)));
    errorsLines(t.errors).forEach((line) => out.push(row('', line)));
  }

  const b = r.backlog;
  if (b) {
    out.push('', `Backlog — the worker alone: ${b.placed} orders placed while it was stopped, then drained`);
    out.push(
      row(
        'allocated by the worker alone',
        `${b.allocatedPerSecond} orders/s   (${b.placed} in ${b.drainSeconds} s, first transaction's start to last commit)`,
      ),
    );
    out.push(row('allocator transactions', allocatorLine(b.allocator)));
    out.push(row('CPU, % of one core', cpuLine(b.cpu)));
    out.push(row('CPU ms per order', perOrderLine(b.cpuMsPerOrder, r.machine.cpus)));
  }

  const l = r.latency;
  if (l) {
    out.push('', `Phase 2 — latency: ${l.ratePerSecond} orders/s for ${l.seconds} s, open loop (${l.orders} orders)`);
    out.push(row('sent', `${l.achievedRatePerSecond} orders/s on schedule; at most ${l.maxInFlight} in flight`));
    out.push(row('answered by the API', `${l.acceptedPerSecond} orders/s; ${l.accepted} ok, ${l.failed} failed`));
    if (l.overloaded) {
      out.push(
        row('OVERLOADED', `${l.unansweredAtStop} orders unanswered ${l.drainCapSeconds} s after the last send: API stopped (not counted as failed)`),
      );
      out.push(row('', 'latencies below cover only the orders it placed; the wait before placing is in the HTTP figures'));
    }
    out.push(row('client lag behind schedule', `${dist(l.clientLagMs, ['p50', 'p99', 'max'])}; ${l.lateOrders} late by > ${l.lateThresholdMs} ms`));
    out.push(row('placeOrder HTTP latency', dist(l.httpLatencyMs)));
    out.push(row('placed→allocated (event.at)', dist(l.placedToAllocatedMs)));
    out.push(row('placed→allocated (visible)', dist(l.placedToVisibleMs)));
    out.push(row('scheduled→allocated (visible)', dist(l.scheduledToVisibleMs)));
    out.push(row(l.overloaded ? 'API stopped, all settled after' : 'drained after the last send', `${ms(l.drainMs)} after the last send`));
    out.push(row('allocator transactions', allocatorLine(l.allocator)));
    out.push(row('CPU, % of one core', cpuLine(l.cpu)));
    out.push(row('CPU ms per order', perOrderLine(l.cpuMsPerOrder, r.machine.cpus)));
    backendsLines(l.postgresBackends.top).forEach((line, i) => out.push(row(i === 0 ? 'postgres backends (sampled)' : '', line)));
    errorsLines(l.errors).forEach((line) => out.push(row('', line)));
    if (l.ordersWithoutDecision > 0) out.push(row('orders with no decision event', String(l.ordersWithoutDecision)));
  }
  if (t || l) {
    out.push('', "  event.at: the decision event's timestamp, which Postgres sets to its transaction's START (now());");
    out.push('  visible: when a 20 ms poll of order_event first saw the decision committed (database clock).');
    out.push("  CPU: postgres = backends of the benchmark database; pg-shared = the server's background processes (WAL writer,");
    out.push("  checkpointer…, shared with other databases); bench-db = the benchmark's own monitoring queries; other = busy");
    out.push('  time of the machine not accounted for by these (other processes and databases, the kernel).');
  }

  const o = r.outcome;
  out.push(
    '',
    `Outcome: ${o.orders} orders (${Object.entries(o.byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ${o.lines} lines, ` +
      `${o.units.ordered} units: ${o.units.allocated} allocated, ${o.units.backordered} backordered; ${o.transfers} transfers, ${o.suggestedPurchaseOrders} reorder suggestions`,
  );

  out.push('', 'The table of issue #11', '', formatTable(r.table));

  out.push('', 'Integrity');
  for (const c of r.integrity.checks) out.push(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  const noisy = Object.entries(r.services).filter(([, v]) => v.warnings || v.errors);
  if (noisy.length) out.push('', `Service logs: ${noisy.map(([k, v]) => `${k} ${v.warnings} warnings, ${v.errors} errors`).join('; ')}`);
  out.push('', `total ${r.totalSeconds} s`);
  return out.join('\n');
}

function perOrderLine(perOrder: Record<string, number>, cpus: number): string {
  const order = ['api', 'worker', 'postgres', 'pg-shared', 'redis', 'bench', 'bench-db'];
  const parts = order.filter((name) => perOrder[name] !== undefined).map((name) => `${name} ${perOrder[name]}`);
  const service = ['api', 'worker', 'postgres', 'pg-shared', 'redis'].reduce((s, name) => s + (perOrder[name] ?? 0), 0);
  return `${parts.join('  ')}   (service total ${Math.round(service * 100) / 100} ms → at most ${service > 0 ? Math.round((cpus * 1000) / service) : '—'} orders/s on ${cpus} cores)`;
}

function allocatorLine(a: LatencyFigures['allocator']): string {
  if (a.transactions === 0) return '—';
  return (
    `${a.transactions}, ${a.ordersPerTransaction.mean} orders each (max ${a.ordersPerTransaction.max})` +
    (a.meanGapMs !== null ? `, one every ${a.meanGapMs} ms` : '')
  );
}

function errorsLines(errors: Array<{ error: string; count: number }>): string[] {
  return errors.slice(0, 5).map((e) => `error ×${e.count}: ${e.error.slice(0, 120)}`);
}
