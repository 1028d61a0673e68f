import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { Logger } from '../shared/logger';
import { backoffDelay, isTransientConnectionError } from './connection-retry';
import { ormOptions } from './orm-options';

/** Any constant: the advisory lock that makes concurrent starts create and migrate the database one at a time. */
const MIGRATION_LOCK_KEY = 7_311_004_211;

function adminUrlFor(databaseUrl: string): { adminUrl: string; databaseName: string } {
  const url = new URL(databaseUrl);
  const databaseName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), databaseName };
}

/** Creates the database if it is missing (true if it did). Safe when several processes start at once. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const { adminUrl, databaseName } = adminUrlFor(databaseUrl);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const found = await client.query('select 1 from pg_database where datname = $1', [databaseName]);
    if (found.rowCount !== 0) return false;
    await client.query(`create database "${databaseName.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

export interface InitOrmOptions {
  databaseUrl: string;
  migrate?: boolean;
  poolMax?: number;
  /** Told which migrations ran (and that the database was created) and of start-up retries, as JSON lines. */
  logger?: Logger;
  /** Give up after this long while PostgreSQL stays unreachable; by default wait for it as long as it takes. */
  retryForMs?: number;
}

/**
 * Opens the ORM; with `migrate`, first creates the database if needed and applies pending migrations under a lock.
 * While PostgreSQL is unreachable (not started yet, restarting) it retries with backoff instead of failing, so a
 * process started before its database comes up by itself; any other error fails at once.
 */
export async function initOrm({ databaseUrl, migrate = true, poolMax, logger, retryForMs = Infinity }: InitOrmOptions): Promise<MikroORM> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let orm: MikroORM | undefined;
    try {
      if (migrate && (await ensureDatabase(databaseUrl))) logger?.info('database created', { database: new URL(databaseUrl).pathname.slice(1) });
      orm = await MikroORM.init(ormOptions(databaseUrl, poolMax));
      if (migrate) {
        const migrationStarted = performance.now();
        const applied = await migrateUnderLock(databaseUrl, orm);
        logger?.info(applied.length > 0 ? 'migrations applied' : 'database schema up to date', {
          migrations: applied,
          durationMs: Math.round(performance.now() - migrationStarted),
        });
      } else if (!(await orm.isConnected())) {
        throw Object.assign(new Error('Connection terminated: database not reachable'), { code: 'ECONNREFUSED' });
      }
      if (attempt > 1) logger?.info('database reachable: starting', { attempts: attempt });
      return orm;
    } catch (error) {
      await orm?.close(true).catch(() => undefined);
      const delayMs = backoffDelay(attempt);
      if (!isTransientConnectionError(error) || Date.now() - started + delayMs > retryForMs) throw error;
      logger?.warn('database unreachable at start; retrying', { attempt, retryInMs: delayMs, error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** MikroORM's migrator takes no lock of its own: hold a session-level advisory lock on a side connection. */
async function migrateUnderLock(databaseUrl: string, orm: MikroORM): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
