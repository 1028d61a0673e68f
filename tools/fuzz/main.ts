import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { signToken } from '../../src/auth/token';
import { Role } from '../../src/auth/roles';
import {
  benchDatabase,
  cleanRedis,
  createDatabase,
  dropDatabase,
  entryPoints,
  freePort,
  redisUrl,
  startChild,
  waitForReady,
} from '../bench/environment';
import { checkInvariants, formatChecks } from '../shared/invariants';
import { waitForQuiet, withDb } from '../shared/quiet';
import { waitForWorker, watchWorkerStart } from '../drill/fleet';
import { formatResult, fuzz } from './fuzzer';
import { HOSTILE_INPUT_CLASSES } from './operations';

/**
 * `npm run fuzz [-- --seed N] [-- --operations N]`: random valid and invalid operations against
 * the API and the worker as child processes, on a database and a Redis prefix of its own (on the servers of
 * DATABASE_URL and REDIS_URL, removed afterwards unless --keep). Exits non-zero on any INTERNAL_SERVER_ERROR or broken invariant.
 */

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} takes a whole number`);
  return value;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const seed = option(argv, '--seed', Date.now() % 1_000_000);
  const operations = option(argv, '--operations', 2_000);
  const checkEvery = option(argv, '--check-every', 0);
  const keep = argv.includes('--keep');
  const stamp = Date.now();
  const database = benchDatabase(process.env.DATABASE_URL || undefined, stamp);
  database.name = `oms_fuzz_${stamp}`;
  database.url = database.url.replace(`oms_bench_${stamp}`, database.name);
  const prefix = `omsfuzz_${stamp}`;
  const authSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const entries = entryPoints(false);
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: prefix,
    AUTH_SECRET: authSecret,
    LOG_LEVEL: 'info',
    OUTBOX_POLL_MS: '200',
    WORKER_METRICS_PORT: '0',
  };
  console.log(`fuzz: seed ${seed}, ${operations} operations, with hostile input (${HOSTILE_INPUT_CLASSES.join(', ')}); database ${database.name}`);
  await createDatabase(database);
  const api = startChild('api', entries.api, entries.nodeArgs, env);
  const worker = startChild('worker', entries.worker, entries.nodeArgs, env);
  watchWorkerStart(worker);
  try {
    await waitForReady(`http://127.0.0.1:${port}`, api);
    await waitForWorker(worker);
    const started = Date.now();
    const result = await fuzz({
      url: `http://127.0.0.1:${port}/graphql`,
      token: await signToken({ role: Role.ADMIN, subject: 'fuzz' }, { authSecret }),
      seed,
      operations,
      checkEvery,
      // Bisecting: the invariants every N operations; the first failure prints the operations since the last pass.
      check: checkEvery
        ? async (recent) => {
            await waitForQuiet(database.url, 30_000);
            const report = await withDb(database.url, (db) => checkInvariants(db));
            if (!report.ok)
              console.log(`invariants broken by one of these ${recent.length} requests:\n  ${recent.join('\n  ')}\n${formatChecks(report)}`);
            return report.ok;
          }
        : undefined,
    });
    console.log(`${formatResult(result)}\n  in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const quiet = await waitForQuiet(database.url, 30_000);
    const report = await withDb(database.url, (db) => checkInvariants(db, result.acknowledged));
    console.log(
      `invariants (${result.acknowledged.length} acknowledged orders):\n${formatChecks(report)}${quiet ? '' : '\n  FAIL work still owed 30 s after the last operation'}`,
    );
    const ok = result.findings.length === 0 && report.ok && quiet;
    console.log(`fuzz ${ok ? 'PASSED' : 'FAILED'} (seed ${seed}; repeat with npm run fuzz -- --seed ${seed} --operations ${operations})`);
    return ok ? 0 : 1;
  } finally {
    for (const child of [api, worker]) if (!child.done) child.process.kill('SIGKILL');
    await Promise.all([api.exited, worker.exited]);
    if (keep) console.log(`kept the database for a look: psql ${database.url}`);
    else await dropDatabase(database).catch(() => undefined);
    await cleanRedis(prefix).catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`fuzz failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
