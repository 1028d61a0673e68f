import { Client } from 'pg';
import { sleep } from '../bench/stats';
import { Fleet, terminate } from './fleet';
import type { OwnPostgres, OwnRedis } from './own-servers';

/**
 * The faults, one after another. Each `inject` breaks something while the load runs, heals it (restarting what
 * it killed), and returns checks of its own (a process that must have stayed up, or stopped in time).
 */

export interface World {
  fleet: Fleet;
  pg: OwnPostgres;
  redis: OwnRedis;
  databaseUrl: string;
  shutdownTimeoutMs: number;
  /** Syncs the load's list of API URLs with the fleet. */
  syncApis(): void;
}

export interface PhaseCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Phase {
  name: string;
  inject(world: World): Promise<PhaseCheck[]>;
}

/** Waits (up to `timeoutMs`) until one of the workers holds a transaction open: an allocation batch in flight. */
async function waitForBatch(databaseUrl: string, timeoutMs: number): Promise<string | null> {
  const db = new Client({ connectionString: databaseUrl, application_name: 'drill-probe' });
  await db.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await db.query(
        // The allocator serialises batches with a transaction-scoped advisory lock: holding it means mid-batch.
        `select a.application_name from pg_stat_activity a join pg_locks l on l.pid = a.pid and l.locktype = 'advisory' and l.granted
         where a.application_name like 'oms-drill-worker-%' and a.xact_start is not null limit 1`,
      );
      if (rows.length) return rows[0].application_name;
      await sleep(5);
    }
    return null;
  } finally {
    await db.end();
  }
}

const check = (name: string, ok: boolean, detail: string): PhaseCheck => ({ name, ok, detail });

export const PHASES: Phase[] = [
  {
    name: 'SIGKILL of a worker mid-batch',
    async inject(w) {
      const caught = await waitForBatch(w.databaseUrl, 15_000);
      const victim = w.fleet.workers.find((c) => !c.done && w.fleet.appName(c) === caught) ?? w.fleet.workers.find((c) => !c.done)!;
      victim.process.kill('SIGKILL');
      await victim.exited;
      w.fleet.prune();
      await w.fleet.startWorker();
      return [check('the worker was caught inside an allocation transaction', caught !== null, caught ?? 'no batch seen in 15 s: killed anyway')];
    },
  },
  {
    name: 'SIGKILL of the API mid-request',
    async inject(w) {
      const api = w.fleet.apis[0];
      api.child.process.kill('SIGKILL');
      await api.child.exited;
      w.fleet.prune();
      await sleep(500);
      await w.fleet.startApi(api.port);
      w.syncApis();
      return [];
    },
  },
  {
    name: 'Redis restarted empty',
    async inject(w) {
      await w.redis.kill();
      await sleep(1_500);
      await w.redis.start();
      return [];
    },
  },
  {
    name: 'PostgreSQL restarted',
    async inject(w) {
      await w.pg.stop('immediate');
      await sleep(2_000);
      await w.pg.start();
      const alive = w.fleet.live().length;
      await w.fleet.readyAll();
      return [check('every process stayed up and reconnected by itself', alive === w.fleet.apis.length + w.fleet.workers.length, `${alive} running`)];
    },
  },
  {
    name: 'processes started while PostgreSQL is down',
    async inject(w) {
      await w.fleet.stopAll();
      await w.pg.stop('fast');
      const api = await w.fleet.startApi(undefined, false);
      const worker = await w.fleet.startWorker(false);
      w.syncApis();
      await sleep(4_000);
      const waited = !api.child.done && !worker.done;
      await w.pg.start();
      await w.fleet.readyAll();
      return [
        check(
          'the API and the worker waited for PostgreSQL instead of exiting',
          waited,
          waited ? 'ok' : `api ${api.child.done ? 'exited' : 'up'}, worker ${worker.done ? 'exited' : 'up'}`,
        ),
      ];
    },
  },
  {
    name: 'SIGTERM of each process, with Redis up and then down',
    async inject(w) {
      const bound = w.shutdownTimeoutMs + 3_000;
      const results: PhaseCheck[] = [];
      const stopEach = async (when: string) => {
        for (const child of w.fleet.live()) {
          const { ms, code, signal } = await terminate(child, bound + 10_000);
          results.push(
            check(
              `${child.name} stops on SIGTERM within ${bound / 1000} s (${when})`,
              ms <= bound && signal === null,
              `${ms} ms, exit ${signal ?? code}`,
            ),
          );
        }
        w.fleet.prune();
      };
      await stopEach('Redis up');
      await w.fleet.startApi();
      await w.fleet.startWorker();
      w.syncApis();
      await sleep(1_000);
      await w.redis.kill();
      await sleep(500);
      await stopEach('Redis down');
      await w.redis.start();
      await w.fleet.startApi();
      await w.fleet.startWorker();
      w.syncApis();
      return results;
    },
  },
  {
    name: '2 API processes and 3 workers on one database',
    async inject(w) {
      await w.fleet.startApi();
      await w.fleet.startWorker();
      await w.fleet.startWorker();
      w.syncApis();
      await sleep(3_000);
      return [
        check(
          '2 APIs and 3 workers running',
          w.fleet.apis.length === 2 && w.fleet.workers.length === 3,
          `${w.fleet.apis.length} APIs, ${w.fleet.workers.length} workers`,
        ),
      ];
    },
  },
];
