import { GraphQLClient, placeOrderOutcome } from './client';

/** Sending orders: a closed loop (a fixed number in flight) and an open loop (a fixed arrival rate). */

export interface SendResult {
  /** ms from the start of sending until the last response arrived. */
  elapsedMs: number;
  /** Requests sent (fewer than the orders prepared when a time cap stopped the phase). */
  sent: number;
  accepted: number;
  failed: number;
  errors: Map<string, number>;
  /** Per accepted request: ms from sending to the response. */
  httpMs: number[];
  /** By body index: the order id the API answered with, for the lost-or-doubled check. */
  ids: Array<string | undefined>;
}

function record(result: SendResult, index: number, status: number, text: string, ms: number): void {
  const outcome = placeOrderOutcome(status, text);
  if (outcome.ok) {
    result.accepted++;
    result.httpMs.push(ms);
    result.ids[index] = outcome.id;
  } else {
    result.failed++;
    result.errors.set(outcome.error!, (result.errors.get(outcome.error!) ?? 0) + 1);
  }
}

function fail(result: SendResult, error: unknown): void {
  result.failed++;
  const message = error instanceof Error ? error.message : String(error);
  result.errors.set(message, (result.errors.get(message) ?? 0) + 1);
}

/**
 * `concurrency` workers, each sending its next order as soon as its previous one was answered. No new order is sent
 * once `maxMs` have passed, so a slow system still ends the phase in bounded time.
 */
export async function closedLoop(client: GraphQLClient, bodies: string[], concurrency: number, maxMs: number): Promise<SendResult> {
  const result: SendResult = { elapsedMs: 0, sent: 0, accepted: 0, failed: 0, errors: new Map(), httpMs: [], ids: [] };
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, bodies.length) }, async () => {
      while (next < bodies.length && performance.now() - start < maxMs) {
        const index = next++;
        result.sent++;
        const sent = performance.now();
        try {
          const { status, text } = await client.post(bodies[index]);
          record(result, index, status, text, performance.now() - sent);
        } catch (error) {
          fail(result, error);
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  return result;
}

export interface OpenLoopResult extends SendResult {
  /** Per order, ms by which it left later than its scheduled time (the client's own lag). */
  lagMs: number[];
  /** Per order, the scheduled send time in ms since the epoch (wall clock, comparable to database timestamps). */
  scheduledEpochMs: number[];
  /** ms from the first scheduled send to the last actual send. */
  sendingMs: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** ms from the start until the last successful answer. */
  lastAnswerMs: number | null;
  /** Requests cut off because the API was stopped to end an overload (not counted in `failed`). */
  cutOff: number;
}

/** Shared with the phase while it runs: how many requests are out, and whether the API was stopped on purpose. */
export interface LiveState {
  inFlight: number;
  apiStopped: boolean;
}

/**
 * Sends order i at start + i / rate, whether or not earlier orders were answered (open loop: a slow server does not
 * slow the arrivals down, so queueing shows as latency instead of hiding as a lower rate).
 */
export async function openLoop(
  client: GraphQLClient,
  bodies: string[],
  ratePerSecond: number,
  onAllSent: () => void,
  live: LiveState = { inFlight: 0, apiStopped: false },
): Promise<OpenLoopResult> {
  const result: OpenLoopResult = {
    elapsedMs: 0,
    sent: 0,
    accepted: 0,
    failed: 0,
    errors: new Map(),
    httpMs: [],
    ids: [],
    lagMs: [],
    scheduledEpochMs: [],
    sendingMs: 0,
    maxInFlight: 0,
    lastAnswerMs: null,
    cutOff: 0,
  };
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const startEpoch = Date.now();
  const inFlight = new Set<Promise<void>>();
  let i = 0;
  const fire = (index: number, now: number) => {
    const scheduled = start + index * interval;
    result.lagMs[index] = now - scheduled;
    result.scheduledEpochMs[index] = startEpoch + index * interval;
    result.sent++;
    const request = client
      .post(bodies[index])
      .then(({ status, text }) => {
        const answered = performance.now();
        record(result, index, status, text, answered - now);
        result.lastAnswerMs = answered - start;
      })
      .catch((error) => {
        if (live.apiStopped) result.cutOff++;
        else fail(result, error);
      })
      .finally(() => {
        inFlight.delete(request);
        live.inFlight = inFlight.size;
      });
    inFlight.add(request);
    live.inFlight = inFlight.size;
    result.maxInFlight = Math.max(result.maxInFlight, inFlight.size);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < bodies.length && start + i * interval <= now) fire(i++, now);
      if (i >= bodies.length) return resolve();
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  result.sendingMs = performance.now() - start;
  onAllSent();
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  result.elapsedMs = performance.now() - start;
  return result;
}
