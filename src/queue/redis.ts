import Redis, { RedisOptions } from 'ioredis';

/**
 * `blocking` connections (BullMQ workers) wait for Redis forever, as BullMQ requires; the others fail fast while
 * Redis is unreachable, so a caller such as the outbox relay can roll back and try again later.
 */
export function createRedis(url: string, kind: 'blocking' | 'fail-fast', name: string): Redis {
  const options: RedisOptions =
    kind === 'blocking'
      ? { maxRetriesPerRequest: null, connectionName: name }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: name, retryStrategy: (times) => Math.min(times * 200, 2000) };
  const redis = new Redis(url, options);
  redis.on('error', () => undefined); // reconnects by itself; callers see failed commands
  return redis;
}

/** Rejects if the promise has not settled in time (the promise itself may still settle later). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
