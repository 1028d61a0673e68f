import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { signToken } from '../../src/auth/token';
import { Role } from '../../src/auth/roles';
import { freePort } from '../bench/environment';
import { sleep } from '../bench/stats';
import { checkInvariants, formatChecks } from '../shared/invariants';
import { waitForQuiet, withDb } from '../shared/quiet';
import { Fleet } from './fleet';
import { ApiPool, Load, seedWorld, SKUS } from './load';
import { OwnPostgres, OwnRedis } from './own-servers';
import { PHASES, World } from './phases';

/**
 * `npm run drill [-- --short] [-- --seed N]`: the service under faults, on a PostgreSQL cluster and a Redis server
 * of its own. See README, "The drill". Exits non-zero on any failed check.
 */

interface Options {
  short: boolean;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const seedAt = argv.indexOf('--seed');
  return {
    short: argv.includes('--short') || process.env.DRILL_SHORT === '1',
    seed: seedAt >= 0 ? Number(argv[seedAt + 1]) : Date.now() % 1_000_000,
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

interface PhaseResult {
  name: string;
  acknowledged: number;
  lost: number;
  doubled: number;
  oversoldUnits: number;
  recoverSeconds: number | null;
  ok: boolean;
}

/** Seconds from now until a fresh order is accepted and allocated (no longer PENDING), retrying all along. */
async function secondsToRecover(apis: ApiPool, databaseUrl: string, key: string, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  const input = {
    idempotencyKey: key,
    customerId: 'drill-probe',
    channel: 'drill',
    currency: 'EUR',
    shipToRegion: 'EU',
    lines: [{ sku: SKUS[0], quantity: 1, unitPrice: 1 }],
  };
  let id: string | null = null;
  for (let i = 0; Date.now() - started < timeoutMs; i++) {
    try {
      if (!id) id = (await apis.pick(i).gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input })).placeOrder.id;
      const status = await withDb(databaseUrl, async (db) => (await db.query(`select status from sales_order where id = $1`, [id])).rows[0]?.status);
      if (status && status !== 'PENDING') return (Date.now() - started) / 1000;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  return null;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = Date.now();
  const budgetMs = options.short ? 170_000 : 900_000;
  const loadMs = options.short ? { before: 1_000, after: 1_500 } : { before: 4_000, after: 6_000 };
  const customers = options.short ? 4 : 8;
  const shutdownTimeoutMs = 4_000;
  const pg = new OwnPostgres(await freePort());
  const redis = new OwnRedis(await freePort());
  const databaseUrl = pg.url('oms_drill');
  const authSecret = randomBytes(24).toString('hex');
  const fleet = new Fleet({ databaseUrl, redisUrl: redis.url, authSecret, shutdownTimeoutMs });
  const apis = new ApiPool(await signToken({ role: Role.ADMIN, subject: 'drill' }, { authSecret }));

  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    fleet.killAll();
    apis.close();
    await redis.kill().catch(() => undefined);
    await pg.remove().catch(() => undefined);
  };
  const budget = setTimeout(() => {
    log(`FAIL: the drill ran over its budget of ${budgetMs / 1000} s`);
    void teardown().then(() => process.exit(2));
  }, budgetMs);
  budget.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void teardown().then(() => process.exit(130)));

  try {
    log(
      `drill${options.short ? ' (short)' : ''}: seed ${options.seed}; own PostgreSQL on port ${pg.port} (${pg.dir}), own Redis on port ${redis.port}`,
    );
    await pg.init();
    await pg.start();
    await redis.start();
    await fleet.startApi();
    await fleet.startWorker();
    const world: World = { fleet, pg, redis, databaseUrl, shutdownTimeoutMs, syncApis: () => (apis.urls = fleet.apis.map((a) => a.url)) };
    world.syncApis();
    await seedWorld(apis.pick(0));
    log(`services up and seeded in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);

    const load = new Load(apis, `drill-${options.seed}`, options.seed);
    const results: PhaseResult[] = [];
    for (const [n, phase] of PHASES.entries()) {
      log(`[${n + 1}/${PHASES.length}] ${phase.name}`);
      load.start(customers);
      await sleep(loadMs.before);
      let phaseChecks;
      try {
        phaseChecks = await phase.inject(world);
      } catch (error) {
        phaseChecks = [{ name: 'the fault was injected and healed', ok: false, detail: String(error instanceof Error ? error.message : error) }];
      }
      // The probe queues behind whatever backlog the fault left, so this is also how long the backlog took. The load
      // stops after a fixed time either way, so a slow recovery does not keep piling up orders behind it.
      const probe = secondsToRecover(apis, databaseUrl, `drill-${options.seed}-probe-${n}`, 120_000);
      await sleep(loadMs.after);
      await load.stop();
      const recoverSeconds = await probe;
      const quiet = await waitForQuiet(databaseUrl, 30_000, 180_000);
      const report = await withDb(databaseUrl, (db) => checkInvariants(db, [...load.acknowledged.values()]));
      const checks = [
        ...phaseChecks,
        {
          name: 'recovered: a new order is accepted and allocated',
          ok: recoverSeconds !== null,
          detail: recoverSeconds === null ? 'not within 120 s' : 'ok',
        },
        {
          name: 'nothing owed once the load stopped (the backlog shrinks until it is gone)',
          ok: quiet,
          detail: quiet ? 'ok' : 'backlog stalled for 30 s or was not gone in 180 s',
        },
      ];
      const ok = report.ok && checks.every((c) => c.ok);
      results.push({ name: phase.name, ...report.figures, recoverSeconds, ok });
      log(checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`).join('\n'));
      log(formatChecks(report));
      log(
        `  → ${report.figures.acknowledged} orders acknowledged, ${report.figures.lost} lost, ${report.figures.doubled} doubled, ${report.figures.oversoldUnits} units oversold, recovered in ${recoverSeconds?.toFixed(1) ?? '—'} s\n`,
      );
    }

    const final = results[results.length - 1];
    log('phase                                                  acked  lost  doubled  oversold  recover s  result');
    for (const r of results) {
      log(
        `${r.name.padEnd(54)} ${String(r.acknowledged).padStart(5)} ${String(r.lost).padStart(5)} ${String(r.doubled).padStart(8)} ${String(r.oversoldUnits).padStart(9)} ${(r.recoverSeconds?.toFixed(1) ?? '—').padStart(10)}  ${r.ok ? 'ok' : 'FAIL'}`,
      );
    }
    log(
      `\nattempts ${load.figures.attempts} (${load.figures.failedAttempts} failed and retried, ${load.figures.resent} answered orders sent again), ${load.figures.receipts} receipts, ${load.figures.adjustments} stock adjustments`,
    );
    if (load.errors.size)
      log(
        `errors the clients saw (and retried): ${[...load.errors]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([e, n]) => `${n}× ${e}`)
          .join(' | ')}`,
      );
    const passed = results.every((r) => r.ok);
    log(
      `\ndrill ${passed ? 'PASSED' : 'FAILED'}: ${final.acknowledged} orders acknowledged, ${results.reduce((s, r) => Math.max(s, r.lost), 0)} lost, ${results.reduce((s, r) => Math.max(s, r.doubled), 0)} doubled, ${results.reduce((s, r) => Math.max(s, r.oversoldUnits), 0)} units oversold, in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
    );
    if (!passed) {
      for (const c of fleet.live()) log(`--- last lines of a running ${c.name}:\n${c.tail.slice(-10).join('\n')}`);
    }
    return passed ? 0 : 1;
  } finally {
    await teardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`drill failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
