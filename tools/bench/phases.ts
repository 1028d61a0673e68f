import type { Client } from 'pg';
import type { GraphQLClient } from './client';
import { CpuUsage, cpuBetween, cpuSnapshot } from './cpu';
import { AllocatorBatches, VisibilityWatcher, WaitSample, WaitSampler, allocatorBatches, orderTimings, pendingOrders } from './database';
import { LiveState, OpenLoopResult, SendResult, closedLoop, openLoop } from './load';
import { Distribution, distribution, roundDistribution, sleep } from './stats';

/** The measured phases. Each watches the database while it sends, then reads the latencies back from it. */

export interface PhaseContext {
  db: { progress: Client; watcher: Client; sampler: Client };
  pids: Record<string, number | undefined>;
  /** Throws if a child process has died (unless it was stopped on purpose). */
  assertAlive: () => void;
  /** Ends an overload: stops the API at once, so the requests still queued in it are never placed. */
  stopApi: () => Promise<void>;
  /** Give up when no order has left PENDING for this long after sending ended. */
  stallMs: number;
  /** Learns which postgres processes serve which database, before a CPU snapshot. */
  refreshPostgresRoles: () => Promise<void>;
  log: (line: string) => void;
  /** Notes the orders the API acknowledged (by body index, for keys `${keyPrefix}${index}`), for the lost-or-doubled check. */
  acknowledge: (keyPrefix: string, ids: Array<string | undefined>) => void;
}

export interface Common {
  /** Orders prepared for the phase. */
  orders: number;
  sent: number;
  accepted: number;
  failed: number;
  errors: Array<{ error: string; count: number }>;
  httpLatencyMs: Distribution | null;
  /** Database timestamps: the first ALLOCATED/BACKORDERED/ON_HOLD event's `at` (its transaction's start) − placed_at. */
  placedToAllocatedMs: Distribution | null;
  /** First seen committed by the watcher (database clock, polled every 20 ms) − placed_at. */
  placedToVisibleMs: Distribution | null;
  ordersWithoutDecision: number;
  allocator: AllocatorBatches;
  cpu: CpuUsage;
  /** CPU milliseconds per order placed in the phase, by process group: much less sensitive to other load on the machine than rates. */
  cpuMsPerOrder: Record<string, number>;
  postgresBackends: { samples: number; top: WaitSample[] };
}

export interface ThroughputFigures extends Common {
  concurrency: number;
  maxSeconds: number;
  /** The time cap ended sending before every prepared order went out. */
  cappedByTime: boolean;
  sendSeconds: number;
  endToEndSeconds: number;
  placedPerSecond: number;
  allocatedPerSecond: number;
}

export interface LatencyFigures extends Common {
  ratePerSecond: number;
  seconds: number;
  achievedRatePerSecond: number;
  /** Answered placeOrder calls per second, from the first send to the last answer. */
  acceptedPerSecond: number;
  clientLagMs: Distribution | null;
  lateOrders: number;
  lateThresholdMs: number;
  maxInFlight: number;
  scheduledToVisibleMs: Distribution | null;
  /** From the last send until every answered order had left PENDING. */
  drainMs: number;
  /** The API had not answered every order `drainCapSeconds` after the last send: it was stopped to end the phase. */
  overloaded: boolean;
  drainCapSeconds: number;
  /** Set when overloaded: requests still unanswered when the API was stopped. */
  unansweredAtStop: number;
}

const LATE_THRESHOLD_MS = 10;

interface Watched<T> {
  send: T;
  /** ms from the start of sending until the progress poll first saw no PENDING order after sending ended. */
  doneMs: number;
  cpu: CpuUsage;
  watcher: VisibilityWatcher;
  postgresBackends: { samples: number; top: WaitSample[] };
  overloaded: boolean;
  unansweredAtStop: number;
}

interface SendHooks {
  /** The send function calls this once every request has gone out (answers may still be due). */
  allSent: () => void;
  /** The send function keeps `inFlight` up to date; the phase sets `apiStopped` when it ends an overload. */
  live: LiveState;
}

async function watch<T extends SendResult>(
  ctx: PhaseContext,
  label: string,
  send: (hooks: SendHooks) => Promise<T>,
  drainCapMs: number | null = null,
  /** After an overload stopped the API: drop the client's sockets, so connects still queued fail at once. */
  abortClient: () => void = () => undefined,
): Promise<Watched<T>> {
  const watcher = new VisibilityWatcher(ctx.db.watcher);
  await watcher.start();
  const sampler = new WaitSampler(ctx.db.sampler);
  sampler.start();
  await ctx.refreshPostgresRoles();
  const cpuBefore = cpuSnapshot(ctx.pids);
  const start = performance.now();
  let allSentAt: number | null = null;
  let sent: T | null = null;
  let sendError: unknown = null;
  const live: LiveState = { inFlight: 0, apiStopped: false };
  let unansweredAtStop = 0;
  const sending = send({ allSent: () => (allSentAt = performance.now()), live }).then(
    (r) => (sent = r),
    (e) => (sendError = e),
  );
  let lastPending = -1;
  let lastChange = performance.now();
  let lastReport = performance.now();
  let doneMs = 0;
  let overloaded = false;
  let cpuAfter = null as ReturnType<typeof cpuSnapshot> | null;
  for (;;) {
    ctx.assertAlive();
    if (sendError) throw sendError;
    const pending = await pendingOrders(ctx.db.progress);
    const now = performance.now();
    if (sent && pending === 0) {
      doneMs = now - start;
      break;
    }
    if (!overloaded && drainCapMs !== null && allSentAt !== null && !sent && now - allSentAt > drainCapMs) {
      overloaded = true;
      // The CPU figures describe the service under load, not the clean-up that follows.
      await ctx.refreshPostgresRoles();
      cpuAfter = cpuSnapshot(ctx.pids);
      unansweredAtStop = live.inFlight;
      live.apiStopped = true;
      ctx.log(`  ${label}: requests still unanswered ${drainCapMs / 1000} s after the last send: the API is overloaded; stopping it`);
      await ctx.stopApi();
      abortClient();
    }
    if (pending !== lastPending) {
      lastPending = pending;
      lastChange = now;
    } else if (sent && now - lastChange > ctx.stallMs) {
      throw new Error(`${label}: ${pending} order(s) still PENDING and none allocated for ${ctx.stallMs / 1000} s`);
    }
    if (now - lastReport > 2_000) {
      lastReport = now;
      ctx.log(
        `  ${label}: ${((now - start) / 1000).toFixed(0)} s, ${sent ? 'all answered' : allSentAt ? 'all sent' : 'sending'}, ${pending} PENDING`,
      );
    }
    await sleep(50);
  }
  await sending;
  if (!cpuAfter) {
    await ctx.refreshPostgresRoles();
    cpuAfter = cpuSnapshot(ctx.pids);
  }
  const cpu = cpuBetween(cpuBefore, cpuAfter);
  await watcher.stop();
  const postgresBackends = await sampler.stop();
  const result = sent! as T;
  return { send: result, doneMs, cpu, watcher, postgresBackends, overloaded, unansweredAtStop };
}

async function common(ctx: PhaseContext, keyPrefix: string, orders: number, watched: Watched<SendResult>) {
  ctx.acknowledge(keyPrefix, watched.send.ids);
  const timings = await orderTimings(ctx.db.progress, keyPrefix);
  const eventLatencies: number[] = [];
  const visible: number[] = [];
  let ordersWithoutDecision = 0;
  for (const t of timings.values()) {
    if (t.eventLatencyMs === null) ordersWithoutDecision++;
    else eventLatencies.push(t.eventLatencyMs);
    const seen = watched.watcher.seenMs.get(t.id);
    if (seen !== undefined) visible.push(seen - t.placedMs);
  }
  const cpuMsPerOrder: Record<string, number> = {};
  const placed = timings.size;
  for (const [name, g] of Object.entries(watched.cpu.groups)) {
    if (placed > 0) cpuMsPerOrder[name] = Math.round(((g.cpuSeconds * 1000) / placed) * 100) / 100;
  }
  const figures: Common = {
    orders,
    sent: watched.send.sent,
    accepted: watched.send.accepted,
    failed: watched.send.failed,
    errors: [...watched.send.errors].map(([error, count]) => ({ error, count })),
    httpLatencyMs: roundDistribution(distribution(watched.send.httpMs)),
    placedToAllocatedMs: roundDistribution(distribution(eventLatencies)),
    placedToVisibleMs: roundDistribution(distribution(visible)),
    ordersWithoutDecision,
    allocator: await allocatorBatches(ctx.db.progress, keyPrefix),
    cpu: watched.cpu,
    cpuMsPerOrder,
    postgresBackends: watched.postgresBackends,
  };
  return { figures, timings };
}

export async function throughputPhase(
  ctx: PhaseContext,
  client: GraphQLClient,
  bodies: string[],
  concurrency: number,
  maxSeconds: number,
  keyPrefix: string,
): Promise<ThroughputFigures> {
  const watched = await watch(ctx, 'throughput', async ({ allSent }) => {
    const result = await closedLoop(client, bodies, concurrency, maxSeconds * 1000);
    allSent();
    return result;
  });
  const { figures } = await common(ctx, keyPrefix, bodies.length, watched);
  const sendSeconds = watched.send.elapsedMs / 1000;
  const endToEndSeconds = watched.doneMs / 1000;
  return {
    ...figures,
    concurrency,
    maxSeconds,
    cappedByTime: watched.send.sent < bodies.length,
    sendSeconds: Math.round(sendSeconds * 100) / 100,
    endToEndSeconds: Math.round(endToEndSeconds * 100) / 100,
    placedPerSecond: Math.round(watched.send.accepted / sendSeconds),
    allocatedPerSecond: Math.round(watched.send.accepted / endToEndSeconds),
  };
}

export async function latencyPhase(
  ctx: PhaseContext,
  client: GraphQLClient,
  bodies: string[],
  ratePerSecond: number,
  seconds: number,
  drainCapSeconds: number,
  keyPrefix: string,
): Promise<LatencyFigures> {
  const watched = await watch<OpenLoopResult>(
    ctx,
    'latency',
    ({ allSent, live }) => openLoop(client, bodies, ratePerSecond, allSent, live),
    drainCapSeconds * 1000,
    () => client.close(),
  );
  const { figures, timings } = await common(ctx, keyPrefix, bodies.length, watched);
  const send = watched.send;
  const scheduledToVisible: number[] = [];
  const keyIndex = (key: string) => Number(key.slice(keyPrefix.length));
  for (const t of timings.values()) {
    const seen = watched.watcher.seenMs.get(t.id);
    const scheduled = send.scheduledEpochMs[keyIndex(t.key)];
    if (seen !== undefined && scheduled !== undefined) scheduledToVisible.push(seen - scheduled);
  }
  const lag = send.lagMs.filter((v) => v !== undefined);
  const answeredSeconds = (send.lastAnswerMs ?? send.elapsedMs) / 1000;
  return {
    ...figures,
    ratePerSecond,
    seconds,
    achievedRatePerSecond: bodies.length > 1 ? Math.round(((bodies.length - 1) / (send.sendingMs / 1000)) * 10) / 10 : 0,
    acceptedPerSecond: answeredSeconds > 0 ? Math.round((send.accepted / answeredSeconds) * 10) / 10 : 0,
    clientLagMs: roundDistribution(distribution(lag)),
    lateOrders: lag.filter((v) => v > LATE_THRESHOLD_MS).length,
    lateThresholdMs: LATE_THRESHOLD_MS,
    maxInFlight: send.maxInFlight,
    scheduledToVisibleMs: roundDistribution(distribution(scheduledToVisible)),
    drainMs: Math.round(watched.doneMs - send.sendingMs),
    overloaded: watched.overloaded,
    drainCapSeconds,
    unansweredAtStop: watched.unansweredAtStop,
  };
}

export interface BacklogFigures {
  orders: number;
  placed: number;
  /** Orders per second from the start of the first allocation transaction to the last decision seen committed. */
  allocatedPerSecond: number;
  drainSeconds: number;
  allocator: AllocatorBatches;
  cpu: CpuUsage;
  cpuMsPerOrder: Record<string, number>;
}

/**
 * The worker alone: orders are placed while it is stopped, then a fresh worker drains the backlog in full batches.
 * Tells whether allocation could keep up with a faster API, apart from the placing.
 */
export async function backlogPhase(
  ctx: PhaseContext & { stopWorker: () => Promise<void>; startWorker: () => Promise<void> },
  client: GraphQLClient,
  bodies: string[],
  concurrency: number,
  maxSeconds: number,
  keyPrefix: string,
): Promise<BacklogFigures> {
  await ctx.stopWorker();
  ctx.log(`  worker stopped; placing ${bodies.length} orders`);
  const sent = await closedLoop(client, bodies, concurrency, maxSeconds * 1000);
  ctx.acknowledge(keyPrefix, sent.ids);
  const placed = sent.accepted;
  const watcher = new VisibilityWatcher(ctx.db.watcher);
  await watcher.start();
  ctx.log(`  ${placed} orders waiting; starting a worker`);
  await ctx.startWorker();
  // CPU snapshots all along: the one taken just before the first allocation transaction began is the baseline, so
  // the worker's start-up (module loading, migration check) is not counted as allocation work.
  const snapshots: Array<{ epochMs: number; snapshot: ReturnType<typeof cpuSnapshot> }> = [];
  let lastPending = -1;
  let lastChange = performance.now();
  for (;;) {
    ctx.assertAlive();
    await ctx.refreshPostgresRoles();
    snapshots.push({ epochMs: Date.now(), snapshot: cpuSnapshot(ctx.pids) });
    const pending = await pendingOrders(ctx.db.progress);
    if (pending === 0) break;
    if (pending !== lastPending) {
      lastPending = pending;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > ctx.stallMs) {
      throw new Error(`backlog: ${pending} order(s) still PENDING and none allocated for ${ctx.stallMs / 1000} s`);
    }
    await sleep(20);
  }
  await ctx.refreshPostgresRoles();
  const cpuAfter = cpuSnapshot(ctx.pids);
  await watcher.stop();
  const { rows } = await ctx.db.progress.query(
    `select extract(epoch from min(e.at)) * 1000 as first_ms from order_event e join sales_order o on o.id = e.order_id
     where o.idempotency_key like $1 and e.type in ('ALLOCATED','BACKORDERED','ON_HOLD')`,
    [`${keyPrefix}%`],
  );
  const firstMs = Number(rows[0].first_ms);
  const baseline = [...snapshots].reverse().find((s) => s.epochMs <= firstMs) ?? snapshots[0];
  const cpu = cpuBetween(baseline.snapshot, cpuAfter);
  const lastSeen = Math.max(...watcher.seenMs.values());
  const drainMs = Number.isFinite(lastSeen) ? lastSeen - firstMs : 0;
  const cpuMsPerOrder: Record<string, number> = {};
  for (const [name, g] of Object.entries(cpu.groups)) if (placed > 0) cpuMsPerOrder[name] = Math.round(((g.cpuSeconds * 1000) / placed) * 100) / 100;
  return {
    orders: bodies.length,
    placed,
    allocatedPerSecond: drainMs > 0 ? Math.round(placed / (drainMs / 1000)) : 0,
    drainSeconds: Math.round(drainMs / 100) / 10,
    allocator: await allocatorBatches(ctx.db.progress, keyPrefix),
    cpu,
    cpuMsPerOrder,
  };
}
