import 'reflect-metadata';
import { loadPlanningPolicy } from '../src/allocation/planning-policy';
import { loadConfig } from '../src/config/config';
import { initOrm } from '../src/db/init-orm';
import { createLogger } from '../src/shared/logger';
import { createWorkerRuntime } from './worker-runtime';

/** The worker process: allocation and outbox delivery. It never loads GraphQL. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const orm = await initOrm({ databaseUrl: config.databaseUrl, migrate: true });
  const runtime = createWorkerRuntime({ config, orm, logger, policyFor: loadPlanningPolicy });
  await runtime.start();
  logger.info('worker started', { redisPrefix: config.redisPrefix });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker stopping', { signal });
    await runtime.stop();
    await orm.close(true);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
