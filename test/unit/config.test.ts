import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_AUTH_SECRET, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  it('has defaults that work on a developer machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 4000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/oms',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'oms',
      authSecret: DEVELOPMENT_AUTH_SECRET,
      logLevel: 'info',
    });
  });

  it('refuses to run in production without a real AUTH_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_SECRET: DEVELOPMENT_AUTH_SECRET })).toThrow(/AUTH_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'a-long-enough-production-secret' }).isProduction).toBe(true);
  });

  it('reads the environment and refuses bad values', () => {
    const config = loadConfig({ PORT: '8080', REDIS_PREFIX: 'shop-2', LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://x@db/oms2' });
    expect(config).toMatchObject({ port: 8080, redisPrefix: 'shop-2', logLevel: 'debug', databaseUrl: 'postgres://x@db/oms2' });
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_PREFIX: 'a:b' })).toThrow(/REDIS_PREFIX/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
