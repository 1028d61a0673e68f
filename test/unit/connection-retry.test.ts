import { describe, expect, it } from 'vitest';
import { backoffDelay, isTransientConnectionError } from '../../src/db/connection-retry';

describe('start-up retry while PostgreSQL is unreachable', () => {
  it('waits out a server that is down, restarting or starting up', () => {
    expect(isTransientConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientConnectionError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isTransientConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('fails at once on what waiting cannot fix', () => {
    expect(isTransientConnectionError(Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' }))).toBe(false);
    expect(isTransientConnectionError(Object.assign(new Error('role "x" does not exist'), { code: '28000' }))).toBe(false);
    expect(isTransientConnectionError(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isTransientConnectionError(new Error('Invalid URL'))).toBe(false);
    expect(isTransientConnectionError(undefined)).toBe(false);
  });

  it('backs off exponentially up to a ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });
});
