import 'reflect-metadata';
import { loadPlanningPolicy } from '../src/allocation/planning-policy';
import { loadConfig } from '../src/config/config';
import { initOrm } from '../src/db/init-orm';
import { MetricsServer, startMetricsServer } from '../src/observability/metrics-server';
import { bootstrapLogger, createLogger, errorFields } from '../src/shared/logger';
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
  let metricsServer: MetricsServer | undefined;
  if (config.workerMetricsPort > 0) {
    // Metrics are not worth stopping allocation for: a port in use is logged and the worker runs on without them.
    metricsServer = await startMetricsServer(runtime.metrics, { port: config.workerMetricsPort, token: config.metricsToken, logger }).then(
      (server) => (logger.info('worker metrics listening', { url: server.url.replace('127.0.0.1', 'localhost') }), server),
      (error) => (logger.error('worker metrics could not listen', { port: config.workerMetricsPort, ...errorFields(error) }), undefined),
    );
  }
  // Redis steps get most of the budget; the rest is for closing the database pool.
  exitOnSignals(
    async () => {
      await metricsServer?.stop();
      await runtime.stop(Math.floor(config.shutdownTimeoutMs * 0.8));
      await orm.close(true);
    },
    { timeoutMs: config.shutdownTimeoutMs, logger },
  );
}

main().catch((error) => {
  bootstrapLogger('worker').error('worker failed to start', errorFields(error));
  process.exit(1);
});
