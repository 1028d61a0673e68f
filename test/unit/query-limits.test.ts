import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedOrigin } from '../../src/api/cors';
import { countTokens, queryValidationRules, QueryLimitConfig, tokenLimitError } from '../../src/api/limits/query-limits';
import { SubscriptionLimiter } from '../../src/api/limits/subscription-limits';
import { buildApiSchema } from '../../src/api/schema';
import { loadConfig } from '../../src/config/config';
import { ordersEventsOrder } from '../support/hostile-queries';

const defaults: QueryLimitConfig = loadConfig({ NODE_ENV: 'test' });

describe('query limits (validation rules)', () => {
  let schema: GraphQLSchema;
  const check = (query: string, config: QueryLimitConfig = defaults): Array<{ message: string; [key: string]: unknown }> =>
    validate(schema, parse(query), [...specifiedRules, ...queryValidationRules(config)]).map((error) => ({
      message: error.message,
      ...error.extensions,
    }));

  beforeAll(async () => {
    schema = await buildApiSchema();
  });

  it("refuses the issue's query (orders -> events -> order, 12 deep) by depth and by cost, naming both limits", () => {
    const query = ordersEventsOrder(12);
    expect(query.length).toBeLessThan(450);
    const errors = check(query);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_DEPTH', limit: 10 }));
    expect(errors).toContainEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_COST', limit: 20_000 }));
    expect(errors.find((e) => e.reason === 'MAX_QUERY_DEPTH')?.message).toMatch(/limit of 10 .*maxQueryDepth/);
  });

  it('lets a page of orders with their lines and events through, and refuses it once the lists nest deeper', () => {
    expect(
      check('{ orders(first: 20) { edges { node { number lines { sku quantity allocations { kind quantity } } events { type at } } } } }'),
    ).toEqual([]);
    expect(check(ordersEventsOrder(1, '100'))).toEqual([]);
    // Depth 8 passes the depth limit; its lists multiply: 100 orders x 10 events x 10 events x 10 events.
    const errors = check(ordersEventsOrder(3, '100'));
    expect(errors.map((e) => e.reason)).toEqual(['MAX_QUERY_COST']);
    expect(errors[0].message).toMatch(/above the limit of 20000 \(maxQueryCost\)/);
  });

  it('counts `first: $variable` as the largest page, and no `first` as the default page', () => {
    const config = { ...defaults, maxQueryCost: 1000 };
    const query = (first: string) =>
      `query${first.includes('$n') ? '($n: Int)' : ''} { orders${first} { edges { node { events { type message } } } } }`;
    expect(check(query(''), config)).toEqual([]); // 20 x (10 events x 2 fields): about 500
    expect(check(query('(first: $n)'), config).map((e) => e.reason)).toEqual(['MAX_QUERY_COST']);
    expect(check(query('(first: 10)'), config)).toEqual([]);
  });

  it('does not let fragments spread into each other make the estimate itself slow', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Order { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const query = `{ order(id: "x") { ...F0 } }\n${fragments}\nfragment F40 on Order { number }`;
    const started = Date.now();
    const errors = check(query);
    expect(Date.now() - started).toBeLessThan(500);
    expect(errors.map((e) => e.reason)).toContain('MAX_QUERY_COST');
  });

  it('passes every GraphQL example of the README', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(examples.length).toBeGreaterThan(4);
    for (const example of examples) {
      const refusals = check(example).filter((error) => typeof error.reason === 'string' && error.reason !== 'GRAPHQL_VALIDATION_FAILED');
      expect(refusals, example).toEqual([]);
    }
  });

  it('refuses more aliases than maxQueryAliases', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `w${i}: warehouses { code }`).join(' ')} }`;
    expect(check(aliases(30))).toEqual([]);
    expect(check(aliases(31))).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_ALIASES', limit: 30 })]);
  });

  it('refuses introspection in production only', () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect(check(introspection)).toEqual([]);
    expect(check(introspection, { ...defaults, isProduction: true })).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INTROSPECTION_DISABLED' }),
    ]);
    expect(check('{ warehouses { __typename code } }', { ...defaults, isProduction: true })).toEqual([]);
  });

  it('counts tokens up to one past the limit, and refuses documents above it', () => {
    expect(countTokens('{ warehouses { code } }', 100)).toBe(6);
    expect(countTokens('{ a '.repeat(10_000), 50)).toBe(51);
    expect(tokenLimitError('{ warehouses { code } }', 6)).toBeUndefined();
    expect(tokenLimitError('{ warehouses { code name } }', 6)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'MAX_QUERY_TOKENS', limit: 6 });
  });
});

describe('subscription limiter', () => {
  it('refuses the subscription over the per-socket or per-subject limit, and counts down on release', () => {
    const limiter = new SubscriptionLimiter({ maxSubscriptionsPerSocket: 2, maxSubscriptionsPerSubject: 3 });
    const a = new Set<string>();
    const b = new Set<string>();
    expect(limiter.acquire(a, 'alice', '1')).toBeUndefined();
    expect(limiter.acquire(a, 'alice', '2')).toBeUndefined();
    expect(limiter.acquire(a, 'alice', '3')?.extensions).toMatchObject({ reason: 'MAX_SUBSCRIPTIONS_PER_SOCKET', limit: 2 });
    expect(limiter.acquire(b, 'alice', '1')).toBeUndefined();
    expect(limiter.acquire(b, 'alice', '2')?.extensions).toMatchObject({ reason: 'MAX_SUBSCRIPTIONS_PER_SUBJECT', limit: 3 });
    expect(limiter.countForSubject('alice')).toBe(3);

    limiter.release(a, '1');
    limiter.release(a, '1');
    expect(limiter.countForSubject('alice')).toBe(2);
    expect(limiter.acquire(b, 'alice', '2')).toBeUndefined();
    limiter.releaseAll(a);
    limiter.releaseAll(b);
    expect(limiter.countForSubject('alice')).toBe(0);
  });
});

describe('CORS origins', () => {
  it('allows none, any, or the listed origins', () => {
    expect(allowedOrigin([], 'https://shop.example.com')).toBeUndefined();
    expect(allowedOrigin(['*'], 'https://shop.example.com')).toBe('*');
    expect(allowedOrigin(['https://shop.example.com'], 'https://shop.example.com')).toBe('https://shop.example.com');
    expect(allowedOrigin(['https://shop.example.com'], 'https://evil.example.com')).toBeUndefined();
    expect(allowedOrigin(['https://shop.example.com'], undefined)).toBeUndefined();
  });
});
