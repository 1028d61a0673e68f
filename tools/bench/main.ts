import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from 'pg';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config/config';
import { GraphQLClient } from './client';
import { cpuSamplingAvailable, refreshPostgresRoles } from './cpu';
import { connect, integrityChecks, outcome, waitForQuiet } from './database';
import {
  BenchDatabase,
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
import { BacklogFigures, LatencyFigures, PhaseContext, ThroughputFigures, backlogPhase, latencyPhase, throughputPhase } from './phases';
import { BenchReport, formatText, judgeTargets } from './report';
import { formatProfile, profilerClockMicros, summariseProfile } from './profile';
import { makeOrders, seed } from './workload';

/**
 * `npm run bench`: how many orders per second this machine places and allocates end to end, and how long an order
 * waits for its allocation at a steady arrival rate, with an integrity check of the books afterwards.
 *
 * It creates a database `oms_bench_<timestamp>` on the server of DATABASE_URL and a Redis prefix of its own, starts
 * the API and the worker as two child processes (as production runs them), seeds a world through GraphQL, then:
 *   phase 1, throughput: --orders orders through placeOrder with --concurrency in flight, timed until none is PENDING;
 *   (optional, --backlog) the worker alone: orders placed while it is stopped, then drained by a fresh worker;
 *   phase 2, latency: --rate orders per second for --seconds, sent on schedule whatever the responses (open loop),
 *            with placed→allocated per order read from database timestamps. An API that cannot keep up is stopped
 *            --drain-seconds after the last send and the phase is reported OVERLOADED.
 * Beside the figures: CPU per process group from /proc (and per order, which other load on the machine does not
 * change), what the Postgres backends were doing (pg_stat_activity samples), and how the allocator batched.
 * Everything it made is removed at the end, also on failure or Ctrl-C. Exits 1 if an integrity check fails.
 */

const HELP = `usage: npm run bench -- [options]

  --orders N        phase 1: orders to place (default 5000; 0 skips the phase)
  --concurrency N   phase 1: requests in flight (default 64)
  --max-seconds N   phase 1: send no new order after this long (default 30), so a slow system ends in bounded time
  --rate N          phase 2: orders per second (default 500)
  --seconds N       phase 2: how long (default 10; 0 skips the phase)
  --backlog N       extra phase between 1 and 2 (default 0: off): stop the worker, place N orders, start a
                    worker and time how fast it allocates the backlog alone, in full batches
  --drain-seconds N phase 2: if the API has not answered every order this long after the last send, it is
                    overloaded: it is stopped to end the phase, and the figures say so (default 15)
  --seed N          PRNG seed for the orders (default 42): equal seeds send equal orders
  --compiled        run dist/src/api/main.js and dist/worker/main.js (npm run build first) instead of TypeScript
  --json            print the figures as JSON on stdout (progress still goes to stderr; use npm run -s)
  --keep            keep the database and Redis keys afterwards, for a look around
  --cpu-prof DIR    run the services under node --cpu-prof, write api.cpuprofile and worker.cpuprofile to DIR
                    and print where their CPU went (the profiler itself costs a little throughput)

environment: DATABASE_URL (its server is used; default postgres://postgres@127.0.0.1:5432), REDIS_URL, and
ALLOCATION_BATCH_SIZE / OUTBOX_POLL_MS are passed on to the services.`;

interface Options {
  orders: number;
  concurrency: number;
  maxSeconds: number;
  drainSeconds: number;
  backlog: number;
  rate: number;
  seconds: number;
  seed: number;
  compiled: boolean;
  json: boolean;
  keep: boolean;
  cpuProf: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '64' },
      'max-seconds': { type: 'string', default: '30' },
      'drain-seconds': { type: 'string', default: '15' },
      backlog: { type: 'string', default: '0' },
      rate: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      compiled: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
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
  return {
    orders: int('orders', values.orders!, 0),
    concurrency: int('concurrency', values.concurrency!, 1),
    maxSeconds: int('max-seconds', values['max-seconds']!, 1),
    drainSeconds: int('drain-seconds', values['drain-seconds']!, 1),
    backlog: int('backlog', values.backlog!, 0),
    rate: int('rate', values.rate!, 1),
    seconds: int('seconds', values.seconds!, 0),
    seed: int('seed', values.seed!, 0),
    compiled: values.compiled!,
    json: values.json!,
    keep: values.keep!,
    cpuProf: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
  };
}

class UsageError extends Error {}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Everything that must be undone, in the order it must be undone. Runs once, however the run ends. */
class Teardown {
  children: ChildService[] = [];
  clients: Client[] = [];
  httpClients: GraphQLClient[] = [];
  database: BenchDatabase | null = null;
  databaseCreated = false;
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
  const stamp = Date.now();
  const database = benchDatabase(undefined, stamp);
  const redisPrefix = `omsbench_${stamp}`;
  const authSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const entries = entryPoints(options.compiled);
  if (entries.warning) log(`warning: ${entries.warning}`);

  teardown.keep = options.keep;
  teardown.database = database;
  teardown.redisPrefix = redisPrefix;
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
    LOG_LEVEL: 'warn',
    AUTH_SECRET: authSecret,
    // Names the services' connections in pg_stat_activity, so the sampler can tell them apart.
    PGAPPNAME: `oms-bench-${name}`,
  });
  const serviceConfig = loadConfig(childEnv('api'));
  log(`starting the API (port ${port}) and the worker ${entries.compiled ? 'from dist/' : 'from TypeScript via swc-node'}`);
  const nodeArgs = (name: string) => {
    if (!options.cpuProf) return entries.nodeArgs;
    mkdirSync(options.cpuProf, { recursive: true });
    rmSync(path.join(options.cpuProf, `${name}.cpuprofile`), { force: true });
    return [...entries.nodeArgs, '--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`, `--cpu-prof-name=${name}.cpuprofile`];
  };
  const api = startChild('api', entries.api, nodeArgs('api'), childEnv('api'));
  let worker = startChild('worker', entries.worker, nodeArgs('worker'), childEnv('worker'));
  teardown.children.push(api, worker);
  await waitForReady(`http://127.0.0.1:${port}`, api);
  let apiStoppedOnPurpose = false;
  let workerStoppedOnPurpose = false;
  const assertAlive = () => {
    for (const child of [api, worker]) {
      if (child === api && apiStoppedOnPurpose) continue;
      if (child === worker && workerStoppedOnPurpose) continue;
      if (child.done) {
        const how = child.process.signalCode ? `signal ${child.process.signalCode}` : `exit code ${child.process.exitCode}`;
        throw new Error(`the ${child.name} process exited during the benchmark (${how}); its last lines:\n${child.tail.slice(-20).join('\n')}`);
      }
    }
  };

  const db = {
    progress: await connect(database.url, 'bench-progress'),
    watcher: await connect(database.url, 'bench-watcher'),
    sampler: await connect(database.url, 'bench-sampler'),
  };
  teardown.clients.push(db.progress, db.watcher, db.sampler);
  const benchPids = new Set(await Promise.all(Object.values(db).map(async (c) => (await c.query('select pg_backend_pid() as pid')).rows[0].pid as number)));
  const token = await signToken({ role: Role.ADMIN, subject: 'bench' }, serviceConfig, { ttlSeconds: 3600 });
  const graphqlUrl = `http://127.0.0.1:${port}/graphql`;

  log('seeding over GraphQL');
  const seedStart = performance.now();
  const setupClient = new GraphQLClient(graphqlUrl, token, 16);
  teardown.httpClients.push(setupClient);
  const seeded = await seed(setupClient);
  await waitForQuiet(db.progress, 'allocating the opening stock', 30_000, assertAlive);
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;

  const stopApi = async () => {
    apiStoppedOnPurpose = true;
    killChildNow(api);
    await api.exited;
  };
  const pids: Record<string, number | undefined> = { api: api.process.pid, worker: worker.process.pid };
  const ctx: PhaseContext = {
    db, pids, assertAlive, stopApi, stallMs: 30_000, log,
    refreshPostgresRoles: () => refreshPostgresRoles(db.progress, benchPids),
  };
  if (!cpuSamplingAvailable()) log('note: no /proc here: CPU figures are left out');

  const measuredFrom = profilerClockMicros();
  let throughput: ThroughputFigures | null = null;
  if (options.orders > 0) {
    const bodies = makeOrders(options.orders, options.seed, 'bench-p1-');
    log(`phase 1: ${options.orders} orders, ${options.concurrency} in flight`);
    const client = new GraphQLClient(graphqlUrl, token, options.concurrency);
    teardown.httpClients.push(client);
    throughput = await throughputPhase(ctx, client, bodies, options.concurrency, options.maxSeconds, 'bench-p1-');
    log(`  ${throughput.placedPerSecond} placed/s, ${throughput.allocatedPerSecond} placed+allocated/s`);
    await waitForQuiet(db.progress, 'settling after phase 1', 30_000, assertAlive);
  }

  let backlog: BacklogFigures | null = null;
  if (options.backlog > 0) {
    const bodies = makeOrders(options.backlog, options.seed + 2, 'bench-p3-');
    log(`backlog: the worker alone, ${options.backlog} orders`);
    const client = new GraphQLClient(graphqlUrl, token, options.concurrency);
    teardown.httpClients.push(client);
    const stopWorker = async () => {
      workerStoppedOnPurpose = true;
      await stopChild(worker);
      delete pids.worker;
    };
    const startWorker = async () => {
      worker = startChild('worker', entries.worker, nodeArgs('worker-2'), childEnv('worker'));
      teardown.children.push(worker);
      workerStoppedOnPurpose = false;
      pids.worker = worker.process.pid;
    };
    backlog = await backlogPhase({ ...ctx, stopWorker, startWorker }, client, bodies, options.concurrency, options.maxSeconds, 'bench-p3-');
    log(`  the worker alone allocated ${backlog.allocatedPerSecond} orders/s`);
    await waitForQuiet(db.progress, 'settling after the backlog', 30_000, assertAlive);
  }

  let latency: LatencyFigures | null = null;
  if (options.seconds > 0) {
    const bodies = makeOrders(options.rate * options.seconds, options.seed + 1, 'bench-p2-');
    log(`phase 2: ${options.rate} orders/s for ${options.seconds} s (${bodies.length} orders), open loop`);
    // Open loop: never make an order wait for a free socket on this side (the queue must form in the service).
    const client = new GraphQLClient(graphqlUrl, token, Infinity);
    teardown.httpClients.push(client);
    latency = await latencyPhase(ctx, client, bodies, options.rate, options.seconds, options.drainSeconds, 'bench-p2-');
    log(`  p99 placed→allocated ${latency.placedToAllocatedMs?.p99 ?? '—'} ms (event.at), ${latency.placedToVisibleMs?.p99 ?? '—'} ms (visible)`);
    await waitForQuiet(db.progress, 'settling after phase 2', 30_000, assertAlive);
  }

  const measuredTo = profilerClockMicros();
  const checks = await integrityChecks(db.progress);
  const integrityOk = checks.every((c) => c.ok);
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
      orders: options.orders,
      concurrency: options.concurrency,
      maxSeconds: options.maxSeconds,
      drainSeconds: options.drainSeconds,
      backlog: options.backlog,
      ratePerSecond: options.rate,
      seconds: options.seconds,
      seed: options.seed,
      services: entries.compiled ? 'API and worker compiled (dist/)' : 'API and worker from TypeScript via swc-node',
      allocationBatchSize: serviceConfig.allocationBatchSize,
      outboxPollMs: serviceConfig.outboxPollMs,
      nodeEnv: serviceConfig.nodeEnv,
      database: database.name,
      redisPrefix,
    },
    seed: { ...seeded, seconds: seedSeconds },
    throughput,
    backlog,
    latency,
    outcome: await outcome(db.progress, 'bench-'),
    targets: judgeTargets(throughput, latency),
    integrity: { ok: integrityOk, checks },
    services: Object.fromEntries([api, worker].map((c) => [c.name, { warnings: c.warnings, errors: c.errors }])),
    totalSeconds: 0,
  };
  const serviceTails = [api, worker].filter((c) => c.errors > 0).map((c) => `── last lines of the ${c.name} ──\n${c.tail.slice(-10).join('\n')}`);

  await teardown.run();
  report.totalSeconds = Math.round((performance.now() - startedAt) / 100) / 10;
  const profiles = options.cpuProf
    ? Object.fromEntries(
        ['api', 'worker', ...(options.backlog > 0 ? ['worker-2'] : [])].map((name) => [
          name,
          summariseProfile(path.join(options.cpuProf!, `${name}.cpuprofile`), { from: measuredFrom, to: measuredTo }),
        ]),
      )
    : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(profiles ? { ...report, profiles } : report, null, 2)}\n`);
    for (const c of checks) log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  } else {
    process.stdout.write(`\n${formatText(report)}\n`);
    for (const [name, summary] of Object.entries(profiles ?? {})) {
      const why = name === 'api' && apiStoppedOnPurpose ? ' (it was killed to end an overload)' : '';
      process.stdout.write(`\n${summary ? formatProfile(name, summary) : `no CPU profile was written by the ${name}${why}`}\n`);
    }
  }
  if (serviceTails.length) log(serviceTails.join('\n'));
  return integrityOk ? 0 : 1;
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
      log(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      await teardown.run();
      process.exit(1);
    },
  );
}

main();
