import 'reflect-metadata';
import { loadPlanningPolicy } from '../src/allocation/planning-policy';
import { loadConfig } from '../src/config/config';
import { initOrm } from '../src/db/init-orm';
import { createLogger } from '../src/shared/logger';
import { exitOnSignals } from '../src/shared/shutdown';
import { createWorkerRuntime } from './worker-runtime';

/** The worker process: allocation and outbox delivery. It never loads GraphQL. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const orm = await initOrm({ databaseUrl: config.databaseUrl, migrate: true, logger });
  const runtime = createWorkerRuntime({ config, orm, logger, policyFor: loadPlanningPolicy });
  await runtime.start();
  logger.info('worker started', { redisPrefix: config.redisPrefix });
  // Redis steps get most of the budget; the rest is for closing the database pool.
  exitOnSignals(
    async () => {
      await runtime.stop(Math.floor(config.shutdownTimeoutMs * 0.8));
      await orm.close(true);
    },
    { timeoutMs: config.shutdownTimeoutMs, logger },
  );
}

main().catch((error) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
