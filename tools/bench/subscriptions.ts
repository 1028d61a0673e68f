import { Client as WsClient, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import WebSocket from 'ws';
import { Role } from '../../src/auth/roles';
import { signToken, TokenSettings } from '../../src/auth/token';
import { topics } from '../../src/events/topics';
import type { GraphQLClient } from './client';
import { Distribution, distribution, roundDistribution, sleep } from './stats';

/**
 * `subscribers` customers, each on a graphql-ws socket of their own with `orderUpdated` on one of their orders, while
 * notes are added to those orders at `rate` per second (addOrderNote: API → outbox → relay → Redis → API → socket).
 * Delivery latency per event, from its `at` (the database's transaction time) to its arrival, and from the
 * mutation's send to the arrival.
 */

export interface SubscriptionFigures {
  subscribers: number;
  rate: number;
  seconds: number;
  sent: number;
  failedSends: number;
  firstSendError: string | null;
  delivered: number;
  /** Events that never arrived (within the wait after the last send). */
  missing: number;
  subscriptionErrors: number;
  /** event.at (database) → received. */
  deliveryMs: Distribution | null;
  /** addOrderNote sent → received. */
  sendToReceiveMs: Distribution | null;
}

export interface SubscriptionSetup {
  graphqlUrl: string;
  wsUrl: string;
  tokenSettings: TokenSettings;
  redisUrl: string;
  redisPrefix: string;
  db: Client;
  admin: GraphQLClient;
  log: (line: string) => void;
  assertAlive: () => void;
}

const NOTE = `mutation($id: ID!, $v: Int!, $text: String!) { addOrderNote(orderId: $id, expectedVersion: $v, text: $text) { version } }`;
const FOLLOW = `subscription($id: ID!) { orderUpdated(orderId: $id) { type at message } }`;
const TAG = 'bench-sub ';

export async function subscriptionPhase(s: SubscriptionSetup, subscribers: number, rate: number, seconds: number): Promise<SubscriptionFigures> {
  const { rows: orders } = await s.db.query<{ id: string; customer_id: string; version: number }>(
    `select id::text, customer_id, version from sales_order where idempotency_key like 'bench-%' and status <> 'PENDING' order by number limit $1`,
    [subscribers],
  );
  if (orders.length < subscribers)
    throw new Error(`subscriptions: needs ${subscribers} orders to follow, found ${orders.length} (run a throughput phase first)`);
  const received = new Map<number, number>();
  const atOf = new Map<number, number>();
  let subscriptionErrors = 0;
  const sockets: WsClient[] = [];
  const redis = new Redis(s.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    s.log(`  opening ${subscribers} sockets, one orderUpdated subscription each`);
    for (const order of orders) {
      const token = await signToken({ role: Role.CUSTOMER, subject: order.customer_id, customerId: order.customer_id }, s.tokenSettings, {
        ttlSeconds: 3600,
      });
      const socket = createClient({
        url: s.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
      });
      sockets.push(socket);
      socket.subscribe<{ orderUpdated: { type: string; at: string; message: string } }>(
        { query: FOLLOW, variables: { id: order.id } },
        {
          next: (result) => {
            const now = Date.now();
            if (result.errors) subscriptionErrors++;
            const event = result.data?.orderUpdated;
            const at = event?.message.indexOf(TAG) ?? -1;
            if (!event || at < 0) return;
            const seq = Number(event.message.slice(at + TAG.length));
            if (!received.has(seq)) (received.set(seq, now), atOf.set(seq, Date.parse(event.at)));
          },
          error: () => void subscriptionErrors++,
          complete: () => undefined,
        },
      );
    }
    // graphql-ws acknowledges no subscription: wait until the API holds one Redis channel per order (STACK.md trap 8).
    const channels = orders.map((o) => `${topics(s.redisPrefix).orderUpdated}:${o.id}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      s.assertAlive();
      const counts = (await redis.pubsub('NUMSUB', ...channels)) as Array<string | number>;
      const live = channels.filter((_, i) => Number(counts[i * 2 + 1]) > 0).length;
      if (live === channels.length) break;
      if (subscriptionErrors > 0 || Date.now() > deadline)
        throw new Error(`subscriptions: ${live} of ${channels.length} live, ${subscriptionErrors} errors`);
      await sleep(100);
    }

    s.log(`  ${subscribers} subscriptions live; ${rate} notes/s for ${seconds} s`);
    const versions = new Map(orders.map((o) => [o.id, o.version]));
    const total = Math.max(1, Math.round(rate * seconds));
    const sentAt: number[] = [];
    let failedSends = 0;
    let firstSendError: string | null = null;
    const inFlight: Array<Promise<void>> = [];
    const start = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const wait = start + (seq * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const order = orders[seq % orders.length];
      sentAt[seq] = Date.now();
      inFlight.push(
        s.admin.post(JSON.stringify({ query: NOTE, variables: { id: order.id, v: versions.get(order.id), text: `${TAG}${seq}` } })).then(
          ({ text }) => {
            const version = /"version":(\d+)/.exec(text);
            if (version && !text.includes('"errors"')) versions.set(order.id, Number(version[1]));
            else (failedSends++, (firstSendError ??= text.slice(0, 200)));
          },
          (error: Error) => void (failedSends++, (firstSendError ??= error.message)),
        ),
      );
    }
    await Promise.all(inFlight);
    const expected = total - failedSends;
    const waitUntil = Date.now() + 10_000;
    while (received.size < expected && Date.now() < waitUntil) await sleep(50);
    const delivery: number[] = [];
    const sendToReceive: number[] = [];
    for (const [seq, at] of received) {
      delivery.push(at - atOf.get(seq)!);
      sendToReceive.push(at - sentAt[seq]);
    }
    return {
      subscribers,
      rate,
      seconds,
      sent: total,
      failedSends,
      firstSendError,
      delivered: received.size,
      missing: Math.max(0, expected - received.size),
      subscriptionErrors,
      deliveryMs: roundDistribution(distribution(delivery)),
      sendToReceiveMs: roundDistribution(distribution(sendToReceive)),
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    redis.disconnect();
  }
}
