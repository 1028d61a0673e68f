import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { sleep } from './stats';

/**
 * The benchmark's own world: a database `oms_bench_<timestamp>` on the server of DATABASE_URL, a Redis prefix of its
 * own, and the API and the worker as two child processes started the way production starts them. Everything is
 * removed again by `teardown`, which is safe to call more than once and from a signal handler.
 */

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const STOP_GRACE_MS = 15_000;
const LOG_TAIL_LINES = 200;
// eslint-disable-next-line no-control-regex
const ANSI_COLOURS = /\x1b\[[0-9;]*m/g;

/** The repository root (this file is tools/bench/environment.ts; the tools are run from TypeScript, never from dist/). */
export const projectRoot = path.resolve(__dirname, '..', '..');

export interface BenchDatabase {
  name: string;
  /** Where the services connect: the server of DATABASE_URL, with this database. */
  url: string;
  /** The same server's `postgres` database, for create and drop. */
  adminUrl: string;
}

export function benchDatabase(serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL, stamp = Date.now(), suffix = ''): BenchDatabase {
  const name = `oms_bench_${stamp}${suffix}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  return { name, url: url.toString(), adminUrl: admin.toString() };
}

export async function createDatabase(db: BenchDatabase): Promise<void> {
  const client = new Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${db.name}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(db: BenchDatabase): Promise<void> {
  const client = new Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${db.name}" with (force)`);
  } finally {
    await client.end();
  }
}

export const redisUrl = () => process.env.REDIS_URL || DEFAULT_REDIS_URL;

/** Deletes every key under `<prefix>:`; returns how many. */
export async function cleanRedis(prefix: string): Promise<number> {
  const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface EntryPoints {
  api: string;
  worker: string;
  nodeArgs: string[];
  compiled: boolean;
  /** Set when --compiled was asked for but cannot or should not be trusted. */
  warning?: string;
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** TypeScript through swc-node, like `npm run dev`; or dist/ when asked for and present, like `npm start`. */
export function entryPoints(compiled: boolean): EntryPoints {
  const ts: EntryPoints = {
    api: path.join(projectRoot, 'src', 'api', 'main.ts'),
    worker: path.join(projectRoot, 'worker', 'main.ts'),
    nodeArgs: ['-r', require.resolve('@swc-node/register')],
    compiled: false,
  };
  if (!compiled) return ts;
  const js: EntryPoints = {
    api: path.join(projectRoot, 'dist', 'src', 'api', 'main.js'),
    worker: path.join(projectRoot, 'dist', 'worker', 'main.js'),
    nodeArgs: [],
    compiled: true,
  };
  if (!existsSync(js.api) || !existsSync(js.worker)) {
    return { ...ts, warning: 'dist/ has no compiled API or worker (run `npm run build`): running the TypeScript sources instead' };
  }
  const sources = Math.max(newestMtime(path.join(projectRoot, 'src'), '.ts'), newestMtime(path.join(projectRoot, 'worker'), '.ts'));
  const built = Math.min(statSync(js.api).mtimeMs, statSync(js.worker).mtimeMs);
  if (sources > built)
    return { ...js, warning: 'dist/ is older than some sources: the compiled run may not measure the current code (run `npm run build`)' };
  return js;
}

export interface ChildService {
  name: 'api' | 'worker';
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done: boolean;
  /** The last lines it wrote (JSON logs at LOG_LEVEL=warn, or a crash). */
  tail: string[];
  warnings: number;
  errors: number;
}

/** `logFile`: everything the child writes also goes there (truncated first). */
export function startChild(name: ChildService['name'], entry: string, nodeArgs: string[], env: NodeJS.ProcessEnv, logFile?: string): ChildService {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Their own process group: a Ctrl-C in the terminal reaches the benchmark only, which stops them in order.
    detached: true,
  });
  const service: ChildService = {
    name,
    process: child,
    done: false,
    tail: [],
    warnings: 0,
    errors: 0,
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        service.done = true;
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        service.tail.push(`could not start: ${error.message}`);
        service.done = true;
        resolve({ code: 1, signal: null });
      });
    }),
  };
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').replace(ANSI_COLOURS, '').split('\n')) {
      if (!line.trim()) continue;
      if (line.includes('"level":"warn"')) service.warnings++;
      else if (line.includes('"level":"error"') || /\b(Error|failed)\b/.test(line)) service.errors++;
      service.tail.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      if (service.tail.length > LOG_TAIL_LINES) service.tail.shift();
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  if (logFile) {
    const file = createWriteStream(logFile);
    child.stdout!.pipe(file, { end: false });
    child.stderr!.pipe(file, { end: false });
    child.once('exit', () => setImmediate(() => file.end()));
  }
  return service;
}

/** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within the grace period. */
export async function stopChild(service: ChildService, graceMs = STOP_GRACE_MS): Promise<void> {
  if (service.done) return;
  service.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!service.done) service.process.kill('SIGKILL');
  }, graceMs);
  await service.exited;
  clearTimeout(timer);
}

export function killChildNow(service: ChildService): void {
  if (!service.done) service.process.kill('SIGKILL');
}

/** Polls /readyz until it answers 200; fails early if the child exits. */
export async function waitForReady(baseUrl: string, child: ChildService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.done) throw new Error(`the ${child.name} exited while starting:\n${child.tail.slice(-20).join('\n')}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the ${child.name} was not ready within ${timeoutMs / 1000} s:\n${child.tail.slice(-20).join('\n')}`);
    await sleep(100);
  }
}
