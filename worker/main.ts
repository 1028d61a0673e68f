import 'reflect-metadata';
import { loadPlanningPolicy } from '../src/allocation/planning-policy';
import { loadConfig } from '../src/config/config';
import { initOrm } from '../src/db/init-orm';
import { MetricsServer, startMetricsServer } from '../src/observability/metrics-server';
import { bootstrapLogger, createLogger, errorFields } from '../src/shared/logger';
import { createWorkerRuntime } from './worker-runtime';

/** The worker process: allocation and outbox delivery. It never loads GraphQL. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const orm = await initOrm({ databaseUrl: config.databaseUrl, migrate: true, logger });
  const runtime = createWorkerRuntime({ config, orm, logger, policyFor: loadPlanningPolicy });
  await runtime.start();
  logger.info('worker started', { redisPrefix: config.redisPrefix });
  let metricsServer: MetricsServer | undefined;
  if (config.workerMetricsPort > 0) {
    // Metrics are not worth stopping allocation for: a port in use is logged and the worker runs on without them.
    metricsServer = await startMetricsServer(runtime.metrics, { port: config.workerMetricsPort, token: config.metricsToken, logger }).then(
      (server) => (logger.info('worker metrics listening', { url: server.url.replace('127.0.0.1', 'localhost') }), server),
      (error) => (logger.error('worker metrics could not listen', { port: config.workerMetricsPort, ...errorFields(error) }), undefined),
    );
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker stopping', { signal });
    await metricsServer?.stop();
    await runtime.stop();
    await orm.close(true);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  bootstrapLogger('worker').error('worker failed to start', errorFields(error));
  process.exit(1);
});
