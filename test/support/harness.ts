import type { MikroORM } from '@mikro-orm/postgresql';
import Redis from 'ioredis';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { createServices, Services } from '../../src/app/services';
import { Role } from '../../src/auth/roles';
import type { AppConfig } from '../../src/config/config';
import { initOrm } from '../../src/db/init-orm';
import { createApiServer, ApiServer } from '../../src/api/server';
import { createLogger } from '../../src/shared/logger';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';
import { gql, gqlData, GqlResponse, subscribe, SubscriptionCollector, tokenFor, waitForSubscribers } from './api-client';
import { createTestEnvironment, TestDatabase } from './test-env';

/**
 * The whole service in-process, on its own database and Redis prefix: the API on a free port, the worker with
 * its outbox relay and BullMQ worker. Tests talk to it only through HTTP and websockets.
 */
export class Harness {
  env!: TestDatabase;
  orm!: MikroORM;
  api!: ApiServer;
  services!: Services;
  worker: WorkerRuntime | null = null;
  private subscriptions: SubscriptionCollector<any>[] = [];

  static async start(options: { worker?: boolean; config?: Partial<AppConfig> } = {}): Promise<Harness> {
    const harness = new Harness();
    harness.env = await createTestEnvironment(options.config);
    harness.orm = await initOrm({ databaseUrl: harness.env.config.databaseUrl });
    harness.services = createServices(harness.orm, harness.env.config);
    harness.api = createApiServer({ config: harness.env.config, orm: harness.orm, services: harness.services });
    await harness.api.start();
    if (options.worker !== false) await harness.startWorker();
    return harness;
  }

  get config(): AppConfig {
    return this.env.config;
  }

  async startWorker(): Promise<WorkerRuntime> {
    this.worker = createWorkerRuntime({
      config: this.config,
      orm: this.orm,
      logger: createLogger(this.config, 'test-worker'),
      policyFor: loadPlanningPolicy,
      sweepMs: 60_000,
    });
    await this.worker.start();
    return this.worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
  }

  token(role: `${Role}`, customerId?: string): string {
    return tokenFor(role, customerId, { secret: this.config.authSecret });
  }

  gql<T = any>(query: string, variables: Record<string, unknown> = {}, token: string | null = this.token('admin')): Promise<GqlResponse<T>> {
    return gql<T>(this.api.url, query, variables, token ?? undefined);
  }

  /** Like gql, but fails the test on any error. */
  ok<T = any>(query: string, variables: Record<string, unknown> = {}, token: string | null = this.token('admin')): Promise<T> {
    return gqlData<T>(this.api.url, query, variables, token ?? undefined);
  }

  /**
   * Subscribes over graphql-ws and collects what arrives. Resolves once Redis shows the subscriber on `channel`
   * (graphql-ws sends no acknowledgement of a subscription).
   */
  async subscribe(query: string, variables: Record<string, unknown>, channel: string, token = this.token('admin')) {
    const collector = subscribe<any>(this.api.wsUrl, query, variables, token);
    this.subscriptions.push(collector);
    const probe = new Redis(this.config.redisUrl);
    try {
      await waitForSubscribers(probe, channel);
    } finally {
      probe.disconnect();
    }
    return {
      get received(): any[] {
        return collector.results.filter((r) => !r.errors).map((r) => r.data);
      },
      get errors(): unknown[] {
        return collector.results.filter((r) => r.errors).map((r) => r.errors);
      },
      close: () => collector.close(),
    };
  }

  async waitFor<T>(check: () => Promise<T | false | null | undefined> | T | false | null | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value as T;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) await subscription.close();
    await this.stopWorker();
    await this.api?.stop();
    await this.services?.close();
    await this.orm?.close(true);
    await this.env?.drop();
  }
}

export const ORDER_FIELDS = `
  id number status customerId fulfilmentPolicy holdReason
  lines { sku quantity allocatedQuantity backorderedQuantity shippedQuantity cancelledQuantity eta
          allocations { kind warehouseCode sourceWarehouseCode quantity eta reason } }
  shipments { id warehouseCode status trackingNumber lines { sku quantity } }
  events { type status message }
`;
