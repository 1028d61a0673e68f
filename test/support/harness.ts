import type { MikroORM } from '@mikro-orm/postgresql';
import { createClient, Client as WsClient } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { createServices } from '../../src/app/services';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import type { AppConfig } from '../../src/config/config';
import { initOrm } from '../../src/db/init-orm';
import { createApiServer, ApiServer } from '../../src/api/server';
import { createLogger } from '../../src/shared/logger';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';
import { createTestEnvironment, TestDatabase } from './test-env';

export interface GqlResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * The whole service in-process, on its own database and Redis prefix: the API on a free port, the worker with
 * its outbox relay and BullMQ worker. Tests talk to it only through HTTP and websockets.
 */
export class Harness {
  env!: TestDatabase;
  orm!: MikroORM;
  api!: ApiServer;
  worker: WorkerRuntime | null = null;
  private sockets: WsClient[] = [];

  static async start(options: { worker?: boolean; config?: Partial<AppConfig> } = {}): Promise<Harness> {
    const harness = new Harness();
    harness.env = await createTestEnvironment(options.config);
    harness.orm = await initOrm({ databaseUrl: harness.env.config.databaseUrl });
    harness.api = createApiServer({ config: harness.env.config, orm: harness.orm, services: createServices(harness.orm, harness.env.config) });
    await harness.api.start();
    if (options.worker !== false) await harness.startWorker();
    return harness;
  }

  get config(): AppConfig {
    return this.env.config;
  }

  async startWorker(): Promise<WorkerRuntime> {
    this.worker = createWorkerRuntime({
      config: this.config, orm: this.orm, logger: createLogger(this.config, 'test-worker'), policyFor: loadPlanningPolicy, sweepMs: 60_000,
    });
    await this.worker.start();
    return this.worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
  }

  token(role: `${Role}`, customerId?: string): string {
    return signToken({ role: role as Role, customerId, subject: `test-${role}` }, this.config.authSecret);
  }

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, token: string | null = this.token('admin')): Promise<GqlResult<T>> {
    const response = await fetch(this.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult<T>;
  }

  /** Like gql, but fails the test on any error. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<T> {
    const result = await this.gql<T>(query, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /**
   * Subscribes over graphql-ws and collects what arrives. Resolves once Redis shows the subscriber on `channel`
   * (graphql-ws sends no acknowledgement of a subscription).
   */
  async subscribe(query: string, variables: Record<string, unknown>, channel: string, token = this.token('admin')) {
    const client = createClient({ url: this.api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false });
    this.sockets.push(client);
    const received: any[] = [];
    const errors: unknown[] = [];
    client.subscribe({ query, variables }, {
      next: (value) => (value.errors ? errors.push(value.errors) : received.push(value.data)),
      error: (error) => errors.push(error),
      complete: () => undefined,
    });
    await this.waitFor(async () => {
      const probe = new Redis(this.config.redisUrl);
      try {
        const [, count] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
        return Number(count) > 0;
      } finally {
        probe.disconnect();
      }
    }, `a subscriber on ${channel}`);
    return { received, errors, close: () => client.dispose() };
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
    for (const socket of this.sockets) await socket.dispose();
    await this.stopWorker();
    await this.api?.stop();
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
