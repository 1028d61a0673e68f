import 'reflect-metadata';
import { closeServices, createServices } from '../app/services';
import { loadConfig } from '../config/config';
import { initOrm } from '../db/init-orm';
import { bootstrapLogger, createLogger, errorFields } from '../shared/logger';
import { exitOnSignals } from '../shared/shutdown';
import { createApiServer } from './server';

/** The API process: GraphQL over HTTP and websockets on one port, plus /healthz and /readyz. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'api-main');
  const orm = await initOrm({ databaseUrl: config.databaseUrl, migrate: true, logger });
  const services = createServices(orm, config);
  const server = createApiServer({ config, orm, services });

  exitOnSignals(
    async () => {
      await server.stop();
      await closeServices(services);
      await orm.close(true);
    },
    { timeoutMs: config.shutdownTimeoutMs, logger },
  );

  await server.start();
  logger.info('API ready', { url: server.url.replace('127.0.0.1', 'localhost'), subscriptions: server.wsUrl.replace('127.0.0.1', 'localhost') });
}

main().catch((error) => {
  bootstrapLogger('api-main').error('API failed to start', errorFields(error));
  process.exit(1);
});
