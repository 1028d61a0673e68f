import type { EventEmitter } from 'node:events';
import type { Logger } from '../shared/logger';

/**
 * While a dependency is down, ioredis reports an error on every reconnect attempt and pollers fail every round.
 * The rule: log the first failure, then at most one summary line per interval (how many failures since the last
 * line), and one line when it works again. The decision is a pure function of the state and the clock.
 */
export interface OutageState {
  /** When the current outage began; null while healthy. */
  since: number | null;
  /** When the last line about this outage was written. */
  lastLineAt: number;
  /** Failures since that line. */
  unreported: number;
  /** Failures in this outage. */
  total: number;
}

export interface OutageLine {
  level: 'warn' | 'info';
  message: string;
  fields: Record<string, unknown>;
}

export const HEALTHY: OutageState = { since: null, lastLineAt: 0, unreported: 0, total: 0 };

export function onFailure(state: OutageState, what: string, error: string, now: number, intervalMs: number): [OutageState, OutageLine | null] {
  if (state.since === null) {
    return [
      { since: now, lastLineAt: now, unreported: 0, total: 1 },
      { level: 'warn', message: `${what} failed`, fields: { error } },
    ];
  }
  const next = { ...state, unreported: state.unreported + 1, total: state.total + 1 };
  if (now - state.lastLineAt < intervalMs) return [next, null];
  return [
    { ...next, lastLineAt: now, unreported: 0 },
    {
      level: 'warn',
      message: `${what} still failing`,
      fields: { error, failures: next.unreported, failuresInOutage: next.total, downForMs: now - state.since },
    },
  ];
}

export function onSuccess(state: OutageState, what: string, now: number): [OutageState, OutageLine | null] {
  if (state.since === null) return [state, null];
  return [HEALTHY, { level: 'info', message: `${what} recovered`, fields: { downForMs: now - state.since, failuresInOutage: state.total } }];
}

export interface OutageLog {
  failure(error: unknown): void;
  success(): void;
}

export const OUTAGE_SUMMARY_INTERVAL_MS = 30_000;

/** The stateful shell around the rule: writes its lines to `logger`, with `fields` on each. */
export function createOutageLog(
  logger: Logger,
  what: string,
  fields: Record<string, unknown> = {},
  { intervalMs = OUTAGE_SUMMARY_INTERVAL_MS, clock = Date.now }: { intervalMs?: number; clock?: () => number } = {},
): OutageLog {
  let state = HEALTHY;
  const write = (line: OutageLine | null) => line && logger[line.level](line.message, { ...fields, ...line.fields });
  return {
    failure(error) {
      let line: OutageLine | null;
      [state, line] = onFailure(state, what, error instanceof Error ? error.message : String(error), clock(), intervalMs);
      write(line);
    },
    success() {
      let line: OutageLine | null;
      [state, line] = onSuccess(state, what, clock());
      write(line);
    },
  };
}

/** ioredis: 'error' on each failed attempt, 'ready' once connected again. */
export function watchRedisConnection(
  client: Pick<EventEmitter, 'on'>,
  logger: Logger,
  connection: string,
  options?: { intervalMs?: number; clock?: () => number },
): OutageLog {
  const outage = createOutageLog(logger, 'redis connection', { connection }, options);
  client.on('error', (error: unknown) => outage.failure(error));
  client.on('ready', () => outage.success());
  return outage;
}
