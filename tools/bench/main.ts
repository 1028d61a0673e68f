import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from 'pg';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config/config';
import { Acknowledged, checkInvariants } from '../shared/invariants';
import { GraphQLClient } from './client';
import { cpuSamplingAvailable, refreshPostgresRoles } from './cpu';
import { connect, outcome, waitForQuiet } from './database';
import { runDeliveryOptions, stopDeliveryOptions } from './delivery-options';
import {
  ChildService,
  benchDatabase,
  cleanRedis,
  createDatabase,
  dropDatabase,
  entryPoints,
  freePort,
  killChildNow,
  redisUrl,
  startChild,
  stopChild,
  waitForReady,
} from './environment';
import type { BenchDatabase } from './environment';
import { closedLoop } from './load';
import { runPgbench } from './pgbench';
import { BacklogFigures, PhaseContext, backlogPhase, latencyPhase, throughputPhase } from './phases';
import { preloadOrders } from './preload';
import { formatProfile, profilerClockMicros, summariseProfile } from './profile';
import { BenchReport, formatText } from './report';
import { Results, buildTable } from './rows';
import { availabilityBodies, hotSkuPhase, openLoopReads, receiptPhase } from './scenarios';
import { seededRandom, sleep } from './stats';
import { subscriptionPhase } from './subscriptions';
import { FULL, PHASES, Phase, QUICK, Sizes, UsageError, selectPhases } from './suite';
import { makeOrders, seed } from './workload';

/**
 * `npm run bench`: the table of issue #11 in one command. Each row is a figure with its target and a mark (PASS,
 * SHORT, INFO, SKIPPED), from one run; then the integrity checks of the books, which fail the command when broken.
 *
 * It creates a database `oms_bench_<timestamp>` on the server of DATABASE_URL and a Redis prefix of its own, starts
 * the API and --workers worker processes as child processes (as production runs them), seeds a world through GraphQL
 * (3 warehouses, 200 products with plenty of stock), then runs the phases of suite.ts in order: pgbench and
 * deliveryOptions on scratch databases of their own, throughput (closed loop), latency at a fixed offered rate (open
 * loop, placed→allocated from database timestamps), the hot SKU, the goods receipt, availability reads, orderUpdated
 * subscriptions, throughput with more workers, and throughput and latency again over a preloaded order history.
 * Beside the figures: CPU per process group from /proc (and per order, which other load on the machine changes
 * less than rates), what the Postgres backends were doing, and how the allocator batched. Everything it made is
 * removed at the end, also on failure or Ctrl-C. Exits 1 if an integrity check fails.
 */

const HELP = `usage: npm run bench -- [options]

  --quick           every row at small sizes (well under a minute on a quiet machine): checks that all runs
  --only LIST       run only these phases (comma-separated), --skip LIST all but these; the phases are
                    ${PHASES.join(', ')}
  --workers N       worker processes for the run (default 1); the workers phase adds more, up to --more-workers
  --more-workers N  the workers phase: throughput with this many worker processes (default 3)
  --orders N        throughput: orders to place (default ${FULL.orders}, quick ${QUICK.orders})
  --concurrency N   throughput: requests in flight (default ${FULL.concurrency})
  --max-seconds N   throughput: send no new order after this long (default 30), so a slow system ends in bounded time
  --rate N          latency: orders per second offered (default ${FULL.rate})
  --seconds N       latency: how long (default ${FULL.seconds}, quick ${QUICK.seconds})
  --preload N       preloaded: orders of history loaded before the second run (default ${FULL.preload}, quick ${QUICK.preload})
  --subscribers N   subscriptions: sockets, one orderUpdated each (default ${FULL.subscribers}, quick ${QUICK.subscribers})
  sizes of the other rows (defaults: see tools/bench/suite.ts): --hot-buyers N --hot-units N --receipt-lines N
                    --read-rate N --read-seconds N --event-rate N --event-seconds N --pgbench-scale N --pgbench-seconds N
  --backlog N       extra phase after throughput (default 0: off): stop the worker, place N orders, start a
                    worker and time how fast it allocates the backlog alone, in full batches
  --drain-seconds N latency: if the API has not answered every order this long after the last send, it is
                    overloaded: it is stopped to end the phase, and the figures say so (default 15)
  --seed N          PRNG seed for the orders (default 42): equal seeds send equal orders
  --compiled        run dist/src/api/main.js and dist/worker/main.js (npm run build first) instead of TypeScript
  --json            print the figures as JSON on stdout (progress still goes to stderr; use npm run -s)
  --keep            keep the database and Redis keys afterwards, for a look around
  --cpu-prof DIR    run the services under node --cpu-prof, write api.cpuprofile and worker.cpuprofile to DIR
                    and print where their CPU went (the profiler itself costs a little throughput)
  --service-logs DIR  the services log at LOG_LEVEL=info (the worker's batch reports: load, plan, apply ms)
                    into DIR/api.log and DIR/worker.log

environment: DATABASE_URL (its server is used; default postgres://postgres@127.0.0.1:5432), REDIS_URL, and
ALLOCATION_BATCH_SIZE / OUTBOX_POLL_MS are passed on to the services.`;

interface Options {
  sizes: Sizes;
  phases: Set<Phase>;
  quick: boolean;
  workers: number;
  maxSeconds: number;
  drainSeconds: number;
  backlog: number;
  seed: number;
  compiled: boolean;
  json: boolean;
  keep: boolean;
  cpuProf: string | null;
  serviceLogs: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      skip: { type: 'string' },
      workers: { type: 'string', default: '1' },
      'more-workers': { type: 'string' },
      orders: { type: 'string' },
      concurrency: { type: 'string' },
      'max-seconds': { type: 'string', default: '30' },
      'drain-seconds': { type: 'string', default: '15' },
      backlog: { type: 'string', default: '0' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      preload: { type: 'string' },
      subscribers: { type: 'string' },
      'hot-buyers': { type: 'string' },
      'hot-units': { type: 'string' },
      'receipt-lines': { type: 'string' },
      'read-rate': { type: 'string' },
      'read-seconds': { type: 'string' },
      'event-rate': { type: 'string' },
      'event-seconds': { type: 'string' },
      'pgbench-scale': { type: 'string' },
      'pgbench-seconds': { type: 'string' },
      seed: { type: 'string', default: '42' },
      compiled: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'service-logs': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${raw}"`);
    return value;
  };
  const base = values.quick ? QUICK : FULL;
  const sized = (name: keyof Sizes, min: number) => {
    const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) as keyof typeof values;
    return values[flag] === undefined ? base[name] : int(flag, String(values[flag]), min);
  };
  const sizes: Sizes = {
    ...base,
    orders: sized('orders', 1),
    concurrency: sized('concurrency', 1),
    rate: sized('rate', 1),
    seconds: sized('seconds', 1),
    preload: sized('preload', 0),
    subscribers: sized('subscribers', 1),
    hotBuyers: sized('hotBuyers', 1),
    hotUnits: sized('hotUnits', 1),
    receiptLines: sized('receiptLines', 1),
    readRate: sized('readRate', 1),
    readSeconds: sized('readSeconds', 1),
    eventRate: sized('eventRate', 1),
    eventSeconds: sized('eventSeconds', 1),
    pgbenchScale: sized('pgbenchScale', 1),
    pgbenchSeconds: sized('pgbenchSeconds', 1),
    moreWorkers: sized('moreWorkers', 1),
  };
  return {
    sizes,
    phases: selectPhases(values.only, values.skip),
    quick: values.quick!,
    workers: int('workers', values.workers!, 1),
    maxSeconds: int('max-seconds', values['max-seconds']!, 1),
    drainSeconds: int('drain-seconds', values['drain-seconds']!, 1),
    backlog: int('backlog', values.backlog!, 0),
    seed: int('seed', values.seed!, 0),
    compiled: values.compiled!,
    json: values.json!,
    keep: values.keep!,
    cpuProf: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
    serviceLogs: values['service-logs'] ? path.resolve(values['service-logs']) : null,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Everything that must be undone, in the order it must be undone. Runs once, however the run ends. */
class Teardown {
  children: ChildService[] = [];
  clients: Client[] = [];
  httpClients: GraphQLClient[] = [];
  database: BenchDatabase | null = null;
  databaseCreated = false;
  /** pgbench's scratch database: dropped however the run ends (drop if exists). */
  scratch: BenchDatabase[] = [];
  redisPrefix: string | null = null;
  keep = false;
  private running: Promise<void> | null = null;

  run(): Promise<void> {
    this.running ??= this.undo();
    return this.running;
  }

  killNow(): void {
    this.children.forEach(killChildNow);
  }

  private async undo(): Promise<void> {
    for (const c of this.httpClients) c.close();
    await Promise.all(this.children.map((c) => stopChild(c).catch(() => killChildNow(c))));
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    if (this.keep) {
      if (this.database) log(`kept database ${this.database.name} and Redis prefix ${this.redisPrefix}`);
      return;
    }
    for (const db of this.scratch) await dropDatabase(db).catch(() => undefined);
    if (this.database && this.databaseCreated) {
      await dropDatabase(this.database).then(
        () => log(`dropped database ${this.database!.name}`),
        (error) => log(`could not drop database ${this.database!.name}: ${error instanceof Error ? error.message : error}`),
      );
    }
    if (this.redisPrefix) {
      await cleanRedis(this.redisPrefix).then(
        (n) => log(`removed ${n} Redis keys under ${this.redisPrefix}:`),
        (error) => log(`could not clean Redis prefix ${this.redisPrefix}: ${error instanceof Error ? error.message : error}`),
      );
    }
  }
}

async function run(options: Options, teardown: Teardown): Promise<number> {
  const startedAt = performance.now();
  const loadAverageAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const { sizes, phases } = options;
  const stamp = Date.now();
  const database = benchDatabase(undefined, stamp);
  const redisPrefix = `omsbench_${stamp}`;
  const authSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const entries = entryPoints(options.compiled);
  if (entries.warning) log(`warning: ${entries.warning}`);
  const results: Results = { workers: options.workers, errors: {} };
  /** A phase whose failure leaves the rest of the run meaningful: its error goes in its row instead. */
  const tolerant = async (phase: Phase, task: () => Promise<void>) => {
    try {
      await task();
    } catch (error) {
      results.errors[phase] = error instanceof Error ? error.message : String(error);
      log(`  ${phase} failed: ${results.errors[phase]}`);
    }
  };
  teardown.keep = options.keep;
  teardown.database = database;
  teardown.redisPrefix = redisPrefix;

  if (phases.has('pgbench')) {
    const scratch = benchDatabase(undefined, stamp, '_pgbench');
    teardown.scratch.push(scratch);
    log(`pgbench: TPC-B, scale ${sizes.pgbenchScale}, ${sizes.pgbenchClients} clients, ${sizes.pgbenchSeconds} s on ${scratch.name}`);
    await tolerant('pgbench', async () => {
      results.pgbench = await runPgbench(scratch, sizes.pgbenchScale, sizes.pgbenchClients, sizes.pgbenchSeconds);
      log(`  ${results.pgbench.tps} tps`);
    });
  }
  if (phases.has('options')) {
    log(`deliveryOptions: tools/bench-options at ${sizes.readRate} requests/s for ${sizes.readSeconds} s (its own API, worker and database)`);
    await tolerant('options', async () => {
      results.deliveryOptions = await runDeliveryOptions(sizes.readRate, sizes.readSeconds, log);
    });
  }

  log(`creating database ${database.name}; Redis prefix ${redisPrefix}`);
  await createDatabase(database);
  teardown.databaseCreated = true;

  const childEnv = (name: string): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: options.serviceLogs ? 'info' : 'warn',
    AUTH_SECRET: authSecret,
    // Names the services' connections in pg_stat_activity, so the sampler can tell them apart.
    PGAPPNAME: `oms-bench-${name}`,
  });
  const serviceConfig = loadConfig(childEnv('api'));
  const nodeArgs = (name: string) => {
    if (!options.cpuProf) return entries.nodeArgs;
    mkdirSync(options.cpuProf, { recursive: true });
    rmSync(path.join(options.cpuProf, `${name}.cpuprofile`), { force: true });
    return [...entries.nodeArgs, '--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`, `--cpu-prof-name=${name}.cpuprofile`];
  };
  const logFile = (name: string) => {
    if (!options.serviceLogs) return undefined;
    mkdirSync(options.serviceLogs, { recursive: true });
    return path.join(options.serviceLogs, `${name}.log`);
  };
  log(`starting the API (port ${port}) and ${options.workers} worker(s) ${entries.compiled ? 'from dist/' : 'from TypeScript via swc-node'}`);
  let api = startChild('api', entries.api, nodeArgs('api'), childEnv('api'), logFile('api'));
  teardown.children.push(api);
  /** The running workers by their name in `pids` (`worker`, `worker#2`, …); the profile file is named alike. */
  const workers = new Map<string, ChildService>();
  const stoppedOnPurpose = new Set<ChildService>();
  const pids: Record<string, number | undefined> = { api: api.process.pid };
  /** After an overload stopped the API to end the latency phase: a fresh one, so the later rows still run. */
  const restartApi = async () => {
    api = startChild('api', entries.api, nodeArgs('api-2'), childEnv('api'), logFile('api-2'));
    teardown.children.push(api);
    pids.api = api.process.pid;
    await waitForReady(`http://127.0.0.1:${port}`, api);
  };
  const startWorker = async (key: string) => {
    // A metrics port of its own: several workers (and other runs on the machine) must not collide on the default.
    const name = key.replace('#', '-');
    const env = { ...childEnv(name), WORKER_METRICS_PORT: String(await freePort()) };
    const child = startChild('worker', entries.worker, nodeArgs(name), env, logFile(name));
    teardown.children.push(child);
    workers.set(key, child);
    pids[key] = child.process.pid;
    return child;
  };
  const stopWorker = async (key: string) => {
    const child = workers.get(key)!;
    stoppedOnPurpose.add(child);
    await stopChild(child);
    workers.delete(key);
    delete pids[key];
  };
  const workerKey = (n: number) => (n === 1 ? 'worker' : `worker#${n}`);
  for (let n = 1; n <= options.workers; n++) await startWorker(workerKey(n));
  await waitForReady(`http://127.0.0.1:${port}`, api);
  const assertAlive = () => {
    for (const child of teardown.children) {
      if (stoppedOnPurpose.has(child) || !child.done) continue;
      const how = child.process.signalCode ? `signal ${child.process.signalCode}` : `exit code ${child.process.exitCode}`;
      throw new Error(`the ${child.name} process exited during the benchmark (${how}); its last lines:\n${child.tail.slice(-20).join('\n')}`);
    }
  };

  const db = {
    progress: await connect(database.url, 'bench-progress'),
    watcher: await connect(database.url, 'bench-watcher'),
    sampler: await connect(database.url, 'bench-sampler'),
  };
  teardown.clients.push(db.progress, db.watcher, db.sampler);
  const benchPids = new Set(
    await Promise.all(Object.values(db).map(async (c) => (await c.query('select pg_backend_pid() as pid')).rows[0].pid as number)),
  );
  const token = await signToken({ role: Role.ADMIN, subject: 'bench' }, serviceConfig, { ttlSeconds: 3600 });
  const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  const client = (inFlight: number, bearer = token) => {
    const c = new GraphQLClient(graphqlUrl, bearer, inFlight);
    teardown.httpClients.push(c);
    return c;
  };

  log('seeding over GraphQL');
  const seedStart = performance.now();
  const setupClient = client(16);
  const seeded = await seed(setupClient);
  await waitForQuiet(db.progress, 'allocating the opening stock', 30_000, assertAlive);
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;

  const stopApi = async () => {
    stoppedOnPurpose.add(api);
    killChildNow(api);
    await api.exited;
  };
  const acknowledged = new Map<string, Acknowledged>();
  const ctx: PhaseContext = {
    db,
    pids,
    assertAlive,
    stopApi,
    stallMs: 30_000,
    log,
    refreshPostgresRoles: () => refreshPostgresRoles(db.progress, benchPids),
    acknowledge: (keyPrefix, ids) => {
      ids.forEach((id, index) => {
        if (id === undefined) return;
        const key = `${keyPrefix}${index}`;
        const entry = acknowledged.get(key) ?? { key, ids: new Set<string>() };
        entry.ids.add(id);
        acknowledged.set(key, entry);
      });
    },
  };
  if (!cpuSamplingAvailable()) log('note: no /proc here: CPU figures are left out');
  const settle = (what: string) => waitForQuiet(db.progress, `settling after ${what}`, 30_000, assertAlive);
  const throughputRun = async (label: string, keyPrefix: string, seedOffset: number) => {
    log(`${label}: ${sizes.orders} orders, ${sizes.concurrency} in flight`);
    const figures = await throughputPhase(
      ctx,
      client(sizes.concurrency),
      makeOrders(sizes.orders, options.seed + seedOffset, keyPrefix),
      sizes.concurrency,
      options.maxSeconds,
      keyPrefix,
    );
    log(`  ${figures.placedPerSecond} placed/s, ${figures.allocatedPerSecond} placed+allocated/s`);
    await settle(label);
    return figures;
  };
  const latencyRun = async (label: string, keyPrefix: string, seedOffset: number) => {
    const bodies = makeOrders(sizes.rate * sizes.seconds, options.seed + seedOffset, keyPrefix);
    log(`${label}: ${sizes.rate} orders/s for ${sizes.seconds} s (${bodies.length} orders), open loop`);
    // Open loop: never make an order wait for a free socket on this side (the queue must form in the service).
    const figures = await latencyPhase(ctx, client(Infinity), bodies, sizes.rate, sizes.seconds, options.drainSeconds, keyPrefix);
    log(`  p99 placed→allocated ${figures.placedToAllocatedMs?.p99 ?? '—'} ms (event.at); the API answered ${figures.acceptedPerSecond}/s`);
    await settle(label);
    if (figures.overloaded) {
      log('  starting a fresh API for the phases that follow');
      await restartApi();
    }
    return figures;
  };

  const measuredFrom = profilerClockMicros();
  if (phases.has('throughput')) results.throughput = await throughputRun('throughput', 'bench-p1-', 0);

  let backlog: BacklogFigures | null = null;
  if (options.backlog > 0) {
    const bodies = makeOrders(options.backlog, options.seed + 2, 'bench-p3-');
    log(`backlog: the worker alone, ${options.backlog} orders`);
    const backlogCtx = {
      ...ctx,
      stopWorker: () => stopWorker('worker'),
      startWorker: async () => void (await startWorker('worker')),
    };
    backlog = await backlogPhase(backlogCtx, client(sizes.concurrency), bodies, sizes.concurrency, options.maxSeconds, 'bench-p3-');
    log(`  the worker alone allocated ${backlog.allocatedPerSecond} orders/s`);
    await settle('the backlog');
  }

  if (phases.has('latency')) results.latency = await latencyRun('latency', 'bench-p2-', 1);

  if (phases.has('hot')) {
    log(`hot SKU: ${sizes.hotBuyers} buyers, ${sizes.hotUnits} units`);
    results.hot = await hotSkuPhase(
      ctx,
      setupClient,
      client(sizes.concurrency),
      sizes.hotBuyers,
      sizes.hotUnits,
      sizes.concurrency,
      options.maxSeconds,
      options.seed + 3,
    );
    log(`  ${results.hot.allocationsPerSecond} allocations/s, ${results.hot.allocatedUnits} allocated`);
    await settle('the hot SKU');
  }

  if (phases.has('receipt')) {
    log(`goods receipt: ${sizes.receiptLines} waiting backorder lines`);
    results.receipt = await receiptPhase(
      ctx,
      setupClient,
      client(sizes.concurrency),
      sizes.receiptLines,
      sizes.concurrency,
      options.maxSeconds,
      options.seed + 4,
    );
    log(`  the last line allocated ${results.receipt.seconds} s after the receipt was sent`);
  }

  if (phases.has('availability')) {
    await tolerant('availability', async () => {
      const storefront = client(64, await signToken({ role: Role.STOREFRONT, subject: 'bench-storefront' }, serviceConfig, { ttlSeconds: 3600 }));
      const bodies = availabilityBodies(500, seededRandom(options.seed + 5));
      log(`availability: warming up 1 s, then ${sizes.readRate} requests/s for ${sizes.readSeconds} s`);
      await openLoopReads(storefront, bodies, sizes.readRate, 1, 'availability');
      results.availability = await openLoopReads(storefront, bodies, sizes.readRate, sizes.readSeconds, 'availability');
      log(`  p99 ${results.availability.latencyMs?.p99 ?? '—'} ms`);
    });
  }

  if (phases.has('subscriptions')) {
    await tolerant('subscriptions', async () => {
      const { rows } = await db.progress.query(
        `select count(*)::int as n from sales_order where idempotency_key like 'bench-%' and status <> 'PENDING'`,
      );
      const missing = sizes.subscribers - rows[0].n;
      if (missing > 0) {
        log(`subscriptions: placing ${missing} orders to follow`);
        const sent = await closedLoop(
          client(sizes.concurrency),
          makeOrders(missing, options.seed + 6, 'bench-sub-'),
          sizes.concurrency,
          options.maxSeconds * 1000,
        );
        ctx.acknowledge('bench-sub-', sent.ids);
        await settle('placing the orders to follow');
      }
      log(`subscriptions: ${sizes.subscribers} subscribers, ${sizes.eventRate} events/s for ${sizes.eventSeconds} s`);
      results.subscriptions = await subscriptionPhase(
        {
          graphqlUrl,
          wsUrl: graphqlUrl.replace(/^http/, 'ws'),
          tokenSettings: serviceConfig,
          redisUrl: redisUrl(),
          redisPrefix,
          db: db.progress,
          admin: client(64),
          log,
          assertAlive,
        },
        sizes.subscribers,
        sizes.eventRate,
        sizes.eventSeconds,
      );
      log(
        `  p99 delivery ${results.subscriptions.deliveryMs?.p99 ?? '—'} ms; ${results.subscriptions.delivered} of ${results.subscriptions.sent} delivered`,
      );
      await settle('the subscriptions');
    });
  }

  if (phases.has('workers') && sizes.moreWorkers > options.workers) {
    const added: string[] = [];
    for (let n = options.workers + 1; n <= sizes.moreWorkers; n++) {
      added.push(workerKey(n));
      await startWorker(workerKey(n));
    }
    await waitForWorkers(
      db.progress,
      added.map((k) => `oms-bench-${k.replace('#', '-')}`),
      assertAlive,
    );
    const figures = await throughputRun(`throughput with ${sizes.moreWorkers} workers`, 'bench-w-', 7);
    results.moreWorkers = { workers: sizes.moreWorkers, throughput: figures };
    for (const key of added) await stopWorker(key);
  }

  if (phases.has('preloaded')) {
    log(`preloaded: loading ${sizes.preload} orders of history with set-based SQL`);
    results.preload = await preloadOrders(db.progress, sizes.preload);
    log(`  ${results.preload.orders} orders, ${results.preload.lines} lines in ${results.preload.seconds} s`);
    results.preloadedThroughput = await throughputRun('throughput over the history', 'bench-h1-', 8);
    results.preloadedLatency = await latencyRun('latency over the history', 'bench-h2-', 9);
  }
  const measuredTo = profilerClockMicros();

  log('integrity checks');
  const invariants = await checkInvariants(db.progress, [...acknowledged.values()]);
  const checks = invariants.checks;
  if (results.hot) {
    const h = results.hot;
    const expected = Math.min(h.units, h.buyers);
    checks.push({
      name: `hot SKU: exactly ${expected} allocated and reserved of ${h.units} units for ${h.buyers} buyers`,
      ok: h.allocatedUnits === expected && h.reservedUnits === expected,
      detail: `allocated ${h.allocatedUnits}, reserved ${h.reservedUnits}`,
    });
  }
  const integrityOk = checks.every((c) => c.ok);
  const everyService = teardown.children;
  const report: BenchReport = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.arch()} ${os.release()}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtStart,
    },
    settings: {
      orders: sizes.orders,
      concurrency: sizes.concurrency,
      maxSeconds: options.maxSeconds,
      drainSeconds: options.drainSeconds,
      backlog: options.backlog,
      ratePerSecond: sizes.rate,
      seconds: sizes.seconds,
      seed: options.seed,
      services: `${entries.compiled ? 'API and worker compiled (dist/)' : 'API and worker from TypeScript via swc-node'}, ${options.workers} worker(s)${options.quick ? ', --quick' : ''}`,
      allocationBatchSize: serviceConfig.allocationBatchSize,
      outboxPollMs: serviceConfig.outboxPollMs,
      nodeEnv: serviceConfig.nodeEnv,
      database: database.name,
      redisPrefix,
    },
    seed: { ...seeded, seconds: seedSeconds },
    throughput: results.throughput ?? null,
    backlog,
    latency: results.latency ?? null,
    outcome: await outcome(db.progress, 'bench-'),
    table: buildTable(results),
    integrity: { ok: integrityOk, checks },
    services: Object.fromEntries(
      [
        ['api', everyService.filter((c) => c.name === 'api')],
        ['worker', everyService.filter((c) => c.name === 'worker')],
      ].map(([name, list]) => [
        name,
        {
          warnings: (list as ChildService[]).reduce((s, c) => s + c.warnings, 0),
          errors: (list as ChildService[]).reduce((s, c) => s + c.errors, 0),
        },
      ]),
    ),
    totalSeconds: 0,
  };
  const serviceTails = everyService.filter((c) => c.errors > 0).map((c) => `── last lines of the ${c.name} ──\n${c.tail.slice(-10).join('\n')}`);

  await teardown.run();
  report.totalSeconds = Math.round((performance.now() - startedAt) / 100) / 10;
  const profiles = options.cpuProf
    ? Object.fromEntries(
        ['api', 'worker'].map((name) => [
          name,
          summariseProfile(path.join(options.cpuProf!, `${name}.cpuprofile`), { from: measuredFrom, to: measuredTo }),
        ]),
      )
    : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...report, results, ...(profiles ? { profiles } : {}) }, null, 2)}\n`);
    for (const c of checks) log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  } else {
    process.stdout.write(`\n${formatText(report)}\n`);
    for (const [name, summary] of Object.entries(profiles ?? {})) {
      const why = name === 'api' && stoppedOnPurpose.has(api) ? ' (it was killed to end an overload)' : '';
      process.stdout.write(`\n${summary ? formatProfile(name, summary) : `no CPU profile was written by the ${name}${why}`}\n`);
    }
  }
  if (serviceTails.length) log(serviceTails.join('\n'));
  return integrityOk ? 0 : 1;
}

/** Waits until each named worker has a connection open on the database (it has started and checked migrations). */
async function waitForWorkers(db: Client, applicationNames: string[], assertAlive: () => void, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    assertAlive();
    const { rows } = await db.query(
      `select count(distinct application_name)::int as n from pg_stat_activity where application_name = any($1::text[])`,
      [applicationNames],
    );
    if (rows[0].n === applicationNames.length) return;
    if (Date.now() > deadline) throw new Error(`workers ${applicationNames.join(', ')} did not connect within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

function main(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n\n${HELP}\n`);
    process.exit(2);
  }
  const teardown = new Teardown();
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) {
        log('second signal: killing the services');
        teardown.killNow();
        return;
      }
      interrupted = true;
      stopDeliveryOptions();
      log(`${signal}: stopping the services and removing the benchmark's database and Redis keys`);
      void teardown.run().finally(() => process.exit(130));
    });
  }
  // Whatever ends this process, leave no child behind.
  process.on('exit', () => teardown.killNow());
  // A loop that was still polling when a Ctrl-C closed its connection must not end the process before the clean-up.
  process.on('unhandledRejection', (error) => {
    if (!interrupted) log(`unhandled rejection: ${error instanceof Error ? error.message : String(error)}`);
  });

  run(options, teardown).then(
    (code) => process.exit(code),
    async (error) => {
      if (interrupted) return;
      log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await teardown.run();
      process.exit(1);
    },
  );
}

main();
