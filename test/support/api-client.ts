import { createClient, FormattedExecutionResult } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { Principal, Role } from '../../src/auth/roles';
import { loadConfig } from '../../src/config/config';
import { signTestToken } from './tokens';

export interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

/** The token settings test servers run with: createTestEnvironment loads the config the same way. */
const testConfig = () => loadConfig({ ...process.env, NODE_ENV: 'test' });

export interface TokenOptions {
  secret?: string;
  ttlSeconds?: number;
  /** `iss` and `aud`; by default those of the test configuration (AUTH_ISSUER, AUTH_AUDIENCE), if any. */
  issuer?: string;
  audience?: string;
}

/** A token as `npm run token` writes it (synchronous, so tests can build them inline). */
export function tokenFor(role: Role | `${Role}`, customerId?: string, options: TokenOptions = {}): string {
  const config = testConfig();
  const principal: Principal = { role: role as Role, customerId, subject: `test:${role}${customerId ? `:${customerId}` : ''}` };
  const iat = Math.floor(Date.now() / 1000);
  const issuer = options.issuer ?? config.authIssuer;
  const audience = options.audience ?? config.authAudience;
  return signTestToken(
    {
      sub: principal.subject,
      role: principal.role,
      ...(customerId ? { customerId } : {}),
      iat,
      exp: iat + (options.ttlSeconds ?? 3600),
      ...(issuer ? { iss: issuer } : {}),
      ...(audience ? { aud: audience } : {}),
    },
    options.secret ?? config.authSecret,
  );
}

/** POSTs a GraphQL operation; `token` is sent as `Authorization: Bearer <token>` (pass a full header value to test others). */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = /\s/.test(token) ? token : `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T | null; errors?: GqlError[] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** Asserts there were no errors and returns the data. */
export async function gqlData<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
  const response = await gql<T>(url, query, variables, token);
  if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response)}`);
  return response.data;
}

export const errorCode = (response: { errors?: GqlError[] }) => response.errors?.[0]?.extensions?.code;

/** One item per `next` message; an `error` message or a closed socket becomes a last item with `errors`. */
export interface SubscriptionCollector<T> {
  results: Array<FormattedExecutionResult<T>>;
  /** Waits for the next item (in arrival order). */
  next(timeoutMs?: number): Promise<FormattedExecutionResult<T>>;
  close(): Promise<void>;
}

export function subscribe<T = Record<string, any>>(
  wsUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): SubscriptionCollector<T> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  const results: Array<FormattedExecutionResult<T>> = [];
  const waiters: Array<() => void> = [];
  const push = (item: FormattedExecutionResult<T>) => {
    results.push(item);
    waiters.splice(0).forEach((wake) => wake());
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => push(result as FormattedExecutionResult<T>),
      error: (error) => {
        if (Array.isArray(error)) push({ errors: error });
        else {
          const close = error as { code?: number; reason?: string; message?: string };
          push({ errors: [{ message: `socket closed: ${close.code ?? ''} ${close.reason ?? close.message ?? ''}`.trim() }] } as any);
        }
      },
      complete: () => undefined,
    },
  );
  let read = 0;
  return {
    results,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length <= read) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no subscription result within ${timeoutMs} ms (have ${results.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return results[read++];
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/**
 * The Redis event target subscribes without telling anyone (STACK.md trap 8): wait until Redis counts at least
 * `count` subscribers on the channel before publishing.
 */
export async function waitForSubscribers(redis: Redis, channel: string, count = 1, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(subscribers) >= count) return;
    if (Date.now() > deadline) throw new Error(`no subscriber on ${channel} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publishes exactly as the outbox relay does: the JSON payload on the channel. */
export async function publishLikeRelay(redis: Redis, channel: string, payload: unknown): Promise<void> {
  await redis.publish(channel, JSON.stringify(payload));
}
