import { spawn } from 'node:child_process';
import { BenchDatabase, createDatabase, dropDatabase } from './environment';

/**
 * pgbench's TPC-B-like run on the same PostgreSQL server, on a scratch database of its own (dropped afterwards): a
 * yardstick, so that orders/s from different machines can be compared as orders/s ÷ tps.
 */

export interface PgbenchFigures {
  scale: number;
  clients: number;
  seconds: number;
  tps: number;
}

/** The tps pgbench printed ("tps = 1234.5 (without initial connection time)"), or null. */
export function parsePgbenchTps(output: string): number | null {
  const match = /tps = ([0-9.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([0-9.]+)/.exec(output);
  return match ? Number(match[1]) : null;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (error) => reject(new Error(`pgbench could not start (${error.message}): it ships with PostgreSQL's client tools`)));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`pgbench ${args.join(' ')} exited ${code}: ${output.slice(-400)}`)),
    );
  });
}

export async function runPgbench(database: BenchDatabase, scale: number, clients: number, seconds: number): Promise<PgbenchFigures> {
  const url = new URL(database.url);
  const env = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
  };
  await createDatabase(database);
  try {
    await run(['-i', '-q', '-s', String(scale), database.name], env);
    const output = await run(['-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), database.name], env);
    const tps = parsePgbenchTps(output);
    if (tps === null) throw new Error(`pgbench printed no tps: ${output.slice(-400)}`);
    return { scale, clients, seconds, tps: Math.round(tps) };
  } finally {
    await dropDatabase(database);
  }
}
