import Redis from 'ioredis';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../src/config/config';

const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  config: AppConfig;
  drop(): Promise<void>;
}

/**
 * A database of its own (cloned from the migrated template) and a Redis key prefix of its own, so test files run
 * side by side without seeing each other. `drop()` removes both.
 */
export async function createTestEnvironment(overrides: Partial<AppConfig> = {}): Promise<TestDatabase> {
  const template = process.env.OMS_TEST_TEMPLATE_DB;
  if (!template) throw new Error('test/support/global-setup.ts did not run');
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `oms_test_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${databaseName}" template "${template}"`);
  await admin.end();
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const redisPrefix = `omstest_${suffix}`;
  const config = loadConfig(
    { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    {
      databaseUrl: databaseUrl.toString(),
      redisPrefix,
      port: 0,
      outboxPollMs: 200,
      workerMetricsPort: 0,
      ...overrides,
    },
  );
  return {
    config,
    async drop() {
      const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${databaseName}" with (force)`);
      await cleanup.end();
    },
  };
}
