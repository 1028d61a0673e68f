import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';

/**
 * Subscriptions listen on Redis channels named in src/events/topics.ts. The worker's outbox relay publishes there
 * with a plain `PUBLISH channel JSON`, which the Redis event target parses into the event payload.
 */
export function createApiPubSub(publishClient: Redis, subscribeClient: Redis) {
  return createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
}

export type ApiPubSub = ReturnType<typeof createApiPubSub>;
