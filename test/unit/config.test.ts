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

  it('names the variable of every bad value', () => {
    expect(() => loadConfig({ ALLOCATION_BATCH_SIZE: '0' })).toThrow(/ALLOCATION_BATCH_SIZE must be an integer from 1/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be an integer from 0 to 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/oms' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example.com' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '1' })).toThrow(/MAX_QUERY_DEPTH/);
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });

  it('reads limits, origins and token claims', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://shop.example.com, http://localhost:3000',
      MAX_PAGE_SIZE: '50',
      AUTH_ISSUER: 'oms',
      AUTH_AUDIENCE: ' ',
    });
    expect(config.corsOrigins).toEqual(['https://shop.example.com', 'http://localhost:3000']);
    expect(config.maxPageSize).toBe(50);
    expect(config.authIssuer).toBe('oms');
    expect(config.authAudience).toBeUndefined();
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});
