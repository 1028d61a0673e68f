import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { sleep } from '../bench/stats';

/**
 * The drill's own PostgreSQL cluster and Redis server, on ports of their own, so it can stop, kill and restart
 * them without touching anybody else's. PostgreSQL refuses to run as root: as root, the cluster belongs to the
 * `postgres` OS user and its commands run through `runuser`.
 */

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

async function pgCommand(command: string, args: string[]): Promise<string> {
  const binary = path.join(PG_BIN, command);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

export class OwnPostgres {
  readonly dir: string;
  private readonly data: string;
  running = false;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'oms-drill-pg-'));
    this.data = path.join(this.dir, 'data');
    if (asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(this.dir, uid, gid);
    }
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    await pgCommand('initdb', ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  }

  async start(): Promise<void> {
    // fsync off only skips flushes to disk, which a process crash does not need. synchronous_commit must stay on:
    // off, an `immediate` stop loses commits the API already acknowledged (the drill caught exactly that).
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ];
    await pgCommand('pg_ctl', ['-D', this.data, '-l', path.join(this.dir, 'server.log'), '-o', options.join(' '), '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /** `immediate` is a crash as far as clients can tell: every connection dies at once. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await pgCommand('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
    this.running = false;
  }

  async remove(): Promise<void> {
    if (this.running) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l: string) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres OS user: PostgreSQL cannot run as root without one');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export class OwnRedis {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Empty every time: no RDB, no AOF. */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (let i = 0; ; i++) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        if (i > 100) throw new Error(`redis-server on port ${this.port} did not start`);
        await sleep(50);
      } finally {
        probe.disconnect();
      }
    }
  }

  async kill(): Promise<void> {
    this.process?.kill('SIGKILL');
    await this.exited;
    this.process = null;
  }
}
