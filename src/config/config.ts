/** Every setting of the service, read from the environment once, typed and checked. */
export interface AppConfig {
  nodeEnv: string;
  isProduction: boolean;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  authSecret: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Most pending allocation requests one worker job takes in one transaction. */
  allocationBatchSize: number;
  /** How often the outbox relay looks for undelivered messages when no notification woke it. */
  outboxPollMs: number;
}

export const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-change-me';

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  const authSecret = env.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET;
  if (isProduction && (authSecret === DEVELOPMENT_AUTH_SECRET || authSecret.length < 16)) {
    throw new ConfigError('AUTH_SECRET must be set to a secret of at least 16 characters when NODE_ENV=production');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as AppConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error`);
  const redisPrefix = env.REDIS_PREFIX ?? 'oms';
  if (!/^[A-Za-z0-9_-]+$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX may hold letters, digits, _ and - only');
  return {
    nodeEnv,
    isProduction,
    port: intFrom(env, 'PORT', 4000),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/oms',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix,
    authSecret,
    logLevel,
    allocationBatchSize: intFrom(env, 'ALLOCATION_BATCH_SIZE', 500),
    outboxPollMs: intFrom(env, 'OUTBOX_POLL_MS', 1000),
    ...overrides,
  };
}
