import { z } from 'zod';

/** Every setting of the service, read from the environment once, typed and checked in one schema. */
export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  authSecret: string;
  /** When set, tokens must carry this `iss` claim (and `npm run token` writes it). */
  authIssuer?: string;
  /** When set, tokens must carry this `aud` claim (and `npm run token` writes it). */
  authAudience?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Most pending allocation requests one worker job takes in one transaction. */
  allocationBatchSize: number;
  /** How often the outbox relay looks for undelivered messages when no notification woke it. */
  outboxPollMs: number;
  /** Browser origins allowed by CORS: empty sends no CORS headers, `['*']` allows any origin. */
  corsOrigins: string[];
  /** Deepest selection set a GraphQL operation may nest. */
  maxQueryDepth: number;
  /** Highest estimated cost of one GraphQL operation (each field 1, each list field times its page size). */
  maxQueryCost: number;
  /** Most aliases in one GraphQL operation. */
  maxQueryAliases: number;
  /** Most lexical tokens in one GraphQL document. */
  maxQueryTokens: number;
  /** Largest request body the API reads, in bytes. */
  maxRequestBytes: number;
  /** Largest page (`first`) a list query may ask for. */
  maxPageSize: number;
  /** Most subscriptions one websocket may hold at once. */
  maxSubscriptionsPerSocket: number;
  /** Most subscriptions one token subject may hold at once, over all its sockets in this process. */
  maxSubscriptionsPerSubject: number;
  /** How long a process waits for running work to finish on SIGTERM before it exits anyway. */
  shutdownTimeoutMs: number;
  /** How long the first placeOrder of a group waits for others to be written with it in one commit. */
  placeGroupWindowMs: number;
  /** Most orders one placement group (one statement, one commit) writes. */
  placeGroupMaxOrders: number;
  /** Port of the worker's own `/metrics` endpoint (the API serves `/metrics` on its own port); 0 turns it off. */
  workerMetricsPort: number;
  /** When set, `/metrics` (API and worker) wants `Authorization: Bearer <metricsToken>`; otherwise it is open. */
  metricsToken?: string;
  /** Whether webhook endpoints may point at loopback, private or link-local addresses (default: not in production). */
  webhookAllowPrivate: boolean;
  /** Key that encrypts webhook signing secrets at rest; derived from authSecret when not set. */
  webhookSecretKey: string;
  /** How long one webhook attempt may take (connect, send, answer) before it counts as failed. */
  webhookTimeoutMs: number;
  /** Attempts of one delivery before it is FAILED (then `retryWebhookDelivery`). */
  webhookMaxAttempts: number;
  /** Delay before the second attempt; each later one doubles, up to webhookBackoffMaxMs, with jitter. */
  webhookBackoffBaseMs: number;
  webhookBackoffMaxMs: number;
  /** Most webhook requests one worker has in flight at once. */
  webhookConcurrency: number;
  /** How often the webhook dispatcher looks for due deliveries when nothing woke it. */
  webhookPollMs: number;
}

export const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-change-me';

export class ConfigError extends Error {}

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}, got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a URL (${protocols.join(' or ')}), got "${value}"` });
        return z.NEVER;
      }
      if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        ctx.addIssue({ code: 'custom', message: `must be a ${protocols.join(' or ')} URL, got "${parsed.protocol}"` });
        return z.NEVER;
      }
      return value;
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: integer(0, 65535, 4000),
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/oms'),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'may hold letters, digits, _ and - only (1 to 64 of them)')
    .default('oms'),
  AUTH_SECRET: z.string().min(1, 'must not be empty').default(DEVELOPMENT_AUTH_SECRET),
  AUTH_ISSUER: optionalText,
  AUTH_AUDIENCE: optionalText,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ALLOCATION_BATCH_SIZE: integer(1, 10_000, 500),
  OUTBOX_POLL_MS: integer(10, 60_000, 1000),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (origin === '*') continue;
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
          ctx.addIssue({ code: 'custom', message: `must list origins like https://shop.example.com or *, got "${origin}"` });
          return z.NEVER;
        }
      }
      return origins;
    }),
  MAX_QUERY_DEPTH: integer(2, 100, 10),
  MAX_QUERY_COST: integer(10, 1_000_000, 20_000),
  MAX_QUERY_ALIASES: integer(0, 1000, 30),
  MAX_QUERY_TOKENS: integer(50, 100_000, 5_000),
  MAX_REQUEST_BYTES: integer(1024, 50 * 1024 * 1024, 256 * 1024),
  MAX_PAGE_SIZE: integer(1, 10_000, 100),
  MAX_SUBSCRIPTIONS_PER_SOCKET: integer(1, 10_000, 20),
  MAX_SUBSCRIPTIONS_PER_SUBJECT: integer(1, 100_000, 200),
  SHUTDOWN_TIMEOUT_MS: integer(100, 600_000, 10_000),
  PLACE_GROUP_WINDOW_MS: integer(0, 1000, 2),
  PLACE_GROUP_MAX_ORDERS: integer(1, 5000, 200),
  WORKER_METRICS_PORT: integer(0, 65535, 4001),
  METRICS_TOKEN: optionalText,
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).optional(),
  WEBHOOK_SECRET_KEY: optionalText,
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000, 10_000),
  WEBHOOK_MAX_ATTEMPTS: integer(1, 100, 12),
  WEBHOOK_BACKOFF_BASE_MS: integer(10, 3_600_000, 10_000),
  WEBHOOK_BACKOFF_MAX_MS: integer(10, 86_400_000, 3_600_000),
  WEBHOOK_CONCURRENCY: integer(1, 100, 4),
  WEBHOOK_POLL_MS: integer(10, 60_000, 1000),
});

/** Reads and checks the environment; every problem names its variable. Overrides (tests, scripts) win over it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && (e.AUTH_SECRET === DEVELOPMENT_AUTH_SECRET || e.AUTH_SECRET.length < 16)) {
    throw new ConfigError('Invalid configuration: AUTH_SECRET must be set to a secret of at least 16 characters when NODE_ENV=production');
  }
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    authSecret: e.AUTH_SECRET,
    authIssuer: e.AUTH_ISSUER,
    authAudience: e.AUTH_AUDIENCE,
    logLevel: e.LOG_LEVEL,
    allocationBatchSize: e.ALLOCATION_BATCH_SIZE,
    outboxPollMs: e.OUTBOX_POLL_MS,
    corsOrigins: e.CORS_ORIGINS,
    maxQueryDepth: e.MAX_QUERY_DEPTH,
    maxQueryCost: e.MAX_QUERY_COST,
    maxQueryAliases: e.MAX_QUERY_ALIASES,
    maxQueryTokens: e.MAX_QUERY_TOKENS,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    maxPageSize: e.MAX_PAGE_SIZE,
    maxSubscriptionsPerSocket: e.MAX_SUBSCRIPTIONS_PER_SOCKET,
    maxSubscriptionsPerSubject: e.MAX_SUBSCRIPTIONS_PER_SUBJECT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    placeGroupWindowMs: e.PLACE_GROUP_WINDOW_MS,
    placeGroupMaxOrders: e.PLACE_GROUP_MAX_ORDERS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    metricsToken: e.METRICS_TOKEN,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE === undefined ? !isProduction : e.WEBHOOK_ALLOW_PRIVATE === 'true',
    webhookSecretKey: e.WEBHOOK_SECRET_KEY ?? `webhook-secrets:${e.AUTH_SECRET}`,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    webhookBackoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
    webhookBackoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
    webhookConcurrency: e.WEBHOOK_CONCURRENCY,
    webhookPollMs: e.WEBHOOK_POLL_MS,
    ...overrides,
  };
}
