import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiServer, createApiServer } from '../../src/api/server';
import { closeServices, createServices, Services } from '../../src/app/services';
import type { AppConfig } from '../../src/config/config';
import { initOrm } from '../../src/db/init-orm';
import { createTestEnvironment, TestDatabase } from './test-env';

export interface TestApi {
  env: TestDatabase;
  orm: MikroORM;
  services: Services;
  server: ApiServer;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  wsUrl: string;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  close(): Promise<void>;
}

/** A real API server on a free port, over this test file's own database and Redis prefix. */
export async function startTestApi(overrides: Partial<AppConfig> = {}): Promise<TestApi> {
  const env = await createTestEnvironment(overrides);
  const orm = await initOrm({ databaseUrl: env.config.databaseUrl, poolMax: 5 });
  const services = createServices(orm, env.config);
  const server = createApiServer({ config: env.config, orm, services });
  await server.start();
  return {
    env,
    orm,
    services,
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    baseUrl: server.url.replace(/\/graphql$/, ''),
    async close() {
      await server.stop();
      await closeServices(services);
      await orm.close(true);
      await env.drop();
    },
  };
}
