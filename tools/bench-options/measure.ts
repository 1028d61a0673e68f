import type { Client } from 'pg';
import { cpuBetween, cpuSnapshot, refreshPostgresRoles } from '../bench/cpu';
import type { GraphQLClient } from '../bench/client';
import { sleep } from '../bench/stats';

/** Nearest-rank percentiles of latencies in ms. */
export function percentiles(values: number[]): { count: number; p50: number; p95: number; p99: number; max: number } | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const r = (v: number) => Math.round(v * 100) / 100;
  return { count: sorted.length, p50: r(rank(50)), p95: r(rank(95)), p99: r(rank(99)), max: r(sorted[sorted.length - 1]) };
}

export interface LoadResult {
  latencies: number[];
  errors: string[];
  answeredPerSecond: number;
}

/**
 * Open loop: `seconds × rate` requests on a fixed schedule whatever the answers do; each latency counts from its
 * scheduled send time, so a server that falls behind cannot hide its queue.
 */
export async function openLoop(client: GraphQLClient, bodies: string[], rate: number, seconds: number): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const errors: string[] = [];
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(send(client, bodies[i % bodies.length], due, latencies, errors));
  }
  await Promise.all(inFlight);
  // What the server kept up with: answers over the time until the last one (below the rate when it queued).
  return { latencies, errors, answeredPerSecond: Math.round((latencies.length / (performance.now() - start)) * 1000) };
}

/** One request at a time: the latency of a request on its own, without queueing behind others (a busy machine still slows it). */
export async function oneAtATime(client: GraphQLClient, bodies: string[], count: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) await send(client, bodies[i % bodies.length], performance.now(), latencies, errors);
  return { latencies, errors, answeredPerSecond: Math.round((count / (performance.now() - start)) * 1000) };
}

function send(client: GraphQLClient, body: string, from: number, latencies: number[], errors: string[]): Promise<void> {
  return client.post(body).then(
    ({ status, text }) => {
      latencies.push(performance.now() - from);
      if (status !== 200 || text.includes('"errors"')) errors.push(`HTTP ${status}: ${text.slice(0, 200)}`);
    },
    (error: Error) => {
      errors.push(error.message);
    },
  );
}

/** CPU milliseconds per answered request of the API, the worker, PostgreSQL (this database's backends) and this client. */
export async function withCpu<T extends LoadResult>(
  db: Client,
  benchPids: Set<number>,
  pids: Record<string, number | undefined>,
  run: () => Promise<T>,
): Promise<T & { cpuMsPerRequest: Record<string, number>; machineBusyPercent: number | null }> {
  await refreshPostgresRoles(db, benchPids);
  const before = cpuSnapshot(pids);
  const result = await run();
  await refreshPostgresRoles(db, benchPids);
  const usage = cpuBetween(before, cpuSnapshot(pids));
  const answered = Math.max(1, result.latencies.length);
  const perRequest = (group: string) => Math.round(((usage.groups[group]?.cpuSeconds ?? 0) * 1000 * 100) / answered) / 100;
  return {
    ...result,
    cpuMsPerRequest: { api: perRequest('api'), postgres: perRequest('postgres'), worker: perRequest('worker'), bench: perRequest('bench') },
    machineBusyPercent: usage.machineBusyPercent,
  };
}
