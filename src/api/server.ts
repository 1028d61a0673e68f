import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { Redis, RedisOptions } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Services } from '../app/services';
import type { Principal } from '../auth/roles';
import { VerifiedTokenCache } from '../auth/token-cache';
import type { AppConfig } from '../config/config';
import { DomainError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { watchRedisConnection } from '../observability/outage-log';
import { mountConsole } from './console/console-route';
import { ApiContext, createApiContext } from './context';
import { corsMiddleware } from './cors';
import { ErrorFormatOptions, formatApiError, toGraphQLError } from './errors';
import { graphqlShapedErrors, refuseBatches, refuseLongDocuments } from './limits/http-limits';
import { jsonBody } from './limits/json-body';
import { queryValidationRules } from './limits/query-limits';
import { SubscriptionLimiter } from './limits/subscription-limits';
import { admitWebSocketOperation, SocketState } from './limits/ws-operations';
import { createApiMetrics } from './metrics';
import { countingSubscriptions, operationObserverPlugin, requestIdMiddleware } from './request-log';
import { ApiPubSub, createApiPubSub } from './pubsub';
import { readSnapshotPlugin } from './read-snapshot';
import { buildApiSchema } from './schema';
import { authenticateSocket } from './ws-auth';
import { formatWebSocketErrors } from './ws-errors';

export const GRAPHQL_PATH = '/graphql';
const READINESS_TIMEOUT_MS = 2000;
const REDIS_READY_WAIT_MS = 2000;

export interface ApiServerOptions {
  config: AppConfig;
  orm: MikroORM;
  services: Services;
  /** Extra ioredis options for the pub/sub connections (the URL comes from config.redisUrl). */
  redis?: RedisOptions;
  /** A schema built beforehand; built at start otherwise. */
  schema?: GraphQLSchema;
}

export interface ApiServer {
  httpServer: http.Server;
  /** `http://127.0.0.1:<port>/graphql`, with the real port once started (config.port 0 picks a free one). */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/graphql` for graphql-ws subscriptions. */
  readonly wsUrl: string;
  readonly port: number;
  start(): Promise<void>;
  /** Stops taking requests, lets running ones finish, closes websockets and Redis. The ORM stays open (the caller owns it). */
  stop(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** GraphQL answers depend on the caller's token: no cache may keep them (what Apollo's cache-control plugin sent). */
function noStore(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.setHeader('cache-control', 'no-store');
  next();
}

function untilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}

async function closeRedis(client: Redis): Promise<void> {
  await withTimeout(client.quit(), 1000).catch(() => undefined);
  client.disconnect();
}

export function createApiServer({ config, orm, services, redis, schema: givenSchema }: ApiServerOptions): ApiServer {
  const logger = createLogger(config, 'api');
  const errorOptions: ErrorFormatOptions = {
    logger,
    exposeInternalErrors: config.nodeEnv === 'development',
    hideSuggestions: config.isProduction,
  };
  const validationRules = queryValidationRules(config);
  const app = express();
  // Every answer is no-store (noStore below): hashing each body for an ETag would be work no client uses.
  app.set('etag', false);
  app.use(requestIdMiddleware);
  const metrics = createApiMetrics({ orm, token: config.metricsToken, logger });
  const httpServer = http.createServer(app);
  let port = config.port;
  let state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  let apollo: ApolloServer<ApiContext> | undefined;
  let redisClients: Redis[] = [];

  function connectRedis(name: string): Redis {
    const client = new Redis(config.redisUrl, { connectionName: `oms-api-${name}`, ...redis });
    watchRedisConnection(client, logger, name);
    redisClients.push(client);
    return client;
  }

  async function readiness(publishClient: Redis): Promise<{ database: boolean; redis: boolean }> {
    const [database, cache] = await Promise.allSettled([
      withTimeout(orm.em.fork().execute('select 1'), READINESS_TIMEOUT_MS),
      withTimeout(publishClient.ping(), READINESS_TIMEOUT_MS),
    ]);
    return { database: database.status === 'fulfilled', redis: cache.status === 'fulfilled' };
  }

  const tokens = new VerifiedTokenCache(config);
  async function principalFrom(authorization: unknown): Promise<Principal | null> {
    try {
      return (await tokens.verify(authorization))?.principal ?? null;
    } catch (error) {
      if (error instanceof DomainError) throw toGraphQLError(error, 401);
      throw error;
    }
  }

  function mountRoutes(schemaApollo: ApolloServer<ApiContext>, publishClient: Redis, pubsub: ApiPubSub): void {
    app.use(corsMiddleware(config.corsOrigins));
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    app.get('/metrics', metrics.handler);
    mountConsole(app);
    app.get('/readyz', async (_req, res) => {
      const checks = await readiness(publishClient);
      const ok = checks.database && checks.redis;
      res.status(ok ? 200 : 503).json({
        status: ok ? 'ok' : 'unavailable',
        checks: { database: checks.database ? 'ok' : 'unreachable', redis: checks.redis ? 'ok' : 'unreachable' },
      });
    });
    app.use(
      GRAPHQL_PATH,
      noStore,
      jsonBody(config.maxRequestBytes),
      refuseBatches(),
      refuseLongDocuments(config.maxQueryTokens),
      expressMiddleware(schemaApollo, {
        context: async ({ req }) => createApiContext(services, pubsub, await principalFrom(req.headers.authorization)),
      }),
    );
    // Errors that never reach GraphQL (body too large or not JSON, a failing route) answer in GraphQL's error shape.
    app.use(graphqlShapedErrors(logger, config.maxRequestBytes));
  }

  async function start(): Promise<void> {
    if (state !== 'new') throw new Error(`The API server cannot start: it is ${state}`);
    state = 'starting';
    const schema = givenSchema ?? (await buildApiSchema());
    const publishClient = connectRedis('publish');
    const subscribeClient = connectRedis('subscribe');
    // A SUBSCRIBE queued before the connection is ready can be lost (ioredis then complains of subscriber mode), so
    // give both connections a moment; a Redis that is down must not keep the API from taking orders.
    await Promise.all([publishClient, subscribeClient].map((client) => withTimeout(untilReady(client), REDIS_READY_WAIT_MS).catch(() => undefined)));
    const pubsub = createApiPubSub(publishClient, subscribeClient);

    const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: config.maxRequestBytes });
    const limiter = new SubscriptionLimiter(config);
    const guard = { schema, validationRules, maxQueryTokens: config.maxQueryTokens, limiter };
    const wsCleanup = useServer<Record<string, unknown> | undefined, SocketState>(
      {
        ...countingSubscriptions(
          {
            schema,
            // No valid token: closed with 4403 at connection_init; a token that expires later closes the socket then.
            onConnect: async (ctx) => {
              ctx.extra.principal = await authenticateSocket(ctx.connectionParams, ctx.extra.socket, config);
              return ctx.extra.principal !== null;
            },
            // Belt and braces behind onConnect: without a principal no operation runs (introspection neither); see ws-operations.ts.
            onSubscribe: (ctx, id, payload) => admitWebSocketOperation(guard, ctx.extra, id, payload),
            onComplete: (ctx, id) => {
              if (ctx.extra.subscriptions) limiter.release(ctx.extra.subscriptions, id);
            },
            onClose: (ctx) => {
              if (ctx.extra.subscriptions) limiter.releaseAll(ctx.extra.subscriptions);
            },
            context: (ctx) => createApiContext(services, pubsub, ctx.extra.principal ?? null),
            onNext: (_ctx, _id, _payload, _args, result) =>
              result.errors ? { ...result, errors: formatWebSocketErrors(result.errors, errorOptions) } : undefined,
            onError: (_ctx, _id, _payload, errors) => formatWebSocketErrors(errors, errorOptions),
          },
          metrics,
        ),
        // Close reasons of internal errors carry no message outside development.
        isProd: config.nodeEnv !== 'development',
      },
      wsServer,
    );

    apollo = new ApolloServer<ApiContext>({
      schema,
      formatError: (formatted, error) => formatApiError(formatted, error, errorOptions),
      includeStacktraceInErrorResponses: false,
      validationRules,
      parseOptions: { maxTokens: config.maxQueryTokens },
      allowBatchedHttpRequests: false,
      // Introspection is refused in production by validationRules, the same rule the websockets run.
      introspection: true,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        // No cache hints are used, and its per-field hook wraps every resolver (measured on deliveryOptions): answers are never cacheable (noStore).
        ApolloServerPluginCacheControlDisabled(),
        operationObserverPlugin({ logger, metrics }),
        readSnapshotPlugin(),
        {
          async serverWillStart() {
            return {
              async drainServer() {
                await wsCleanup.dispose();
              },
            };
          },
        },
      ],
    });
    await apollo.start();
    mountRoutes(apollo, publishClient, pubsub);

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    port = (httpServer.address() as AddressInfo).port;
    state = 'started';
    logger.info('API listening', { url: `http://localhost:${port}${GRAPHQL_PATH}` });
  }

  async function stop(): Promise<void> {
    if (state === 'stopped') return;
    state = 'stopped';
    // Apollo's drain plugins close the http server and the websockets.
    if (apollo) await apollo.stop();
    if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    const clients = redisClients;
    redisClients = [];
    await Promise.all(clients.map(closeRedis));
    logger.info('API stopped');
  }

  return {
    httpServer,
    get url() {
      return `http://127.0.0.1:${port}${GRAPHQL_PATH}`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}${GRAPHQL_PATH}`;
    },
    get port() {
      return port;
    },
    start,
    stop,
  };
}
