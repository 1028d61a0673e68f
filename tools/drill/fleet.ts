import { ChildService, entryPoints, freePort, startChild, stopChild, waitForReady } from '../bench/environment';
import { sleep } from '../bench/stats';

/**
 * The API and worker processes of the drill, started as production starts them (the benchmark's child-process
 * helpers), each with its own PGAPPNAME so the drill can see in pg_stat_activity when a worker is mid-batch.
 */

export interface FleetEnv {
  databaseUrl: string;
  redisUrl: string;
  authSecret: string;
  shutdownTimeoutMs: number;
}

export interface Api {
  child: ChildService;
  port: number;
  url: string;
}

export class Fleet {
  readonly apis: Api[] = [];
  readonly workers: ChildService[] = [];
  private serial = 0;
  private readonly appNames = new Map<ChildService, string>();
  private readonly entries = entryPoints(false);

  constructor(private readonly env: FleetEnv) {}

  private childEnv(name: string, port = 0, logLevel = 'warn'): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: this.env.databaseUrl,
      REDIS_URL: this.env.redisUrl,
      REDIS_PREFIX: 'drill',
      AUTH_SECRET: this.env.authSecret,
      LOG_LEVEL: logLevel,
      OUTBOX_POLL_MS: '200',
      SHUTDOWN_TIMEOUT_MS: String(this.env.shutdownTimeoutMs),
      WORKER_METRICS_PORT: '0',
      PGAPPNAME: `oms-drill-${name}`,
    };
  }

  /** Starts an API process (on `port`, to replace one that died, or a new free one); `ready` waits for /readyz. */
  async startApi(port?: number, ready = true): Promise<Api> {
    const chosen = port ?? (await freePort());
    const name = `api-${++this.serial}`;
    const child = startChild('api', this.entries.api, this.entries.nodeArgs, this.childEnv(name, chosen));
    const api = { child, port: chosen, url: `http://127.0.0.1:${chosen}/graphql` };
    this.apis.push(api);
    if (ready) await waitForReady(`http://127.0.0.1:${chosen}`, child, 90_000);
    return api;
  }

  async startWorker(ready = true): Promise<ChildService> {
    const name = `worker-${++this.serial}`;
    const child = startChild('worker', this.entries.worker, this.entries.nodeArgs, this.childEnv(name, 0, 'info'));
    this.appNames.set(child, `oms-drill-${name}`);
    watchWorkerStart(child);
    this.workers.push(child);
    if (ready) await waitForWorker(child);
    return child;
  }

  /** The application_name of a worker's database connections. */
  appName(child: ChildService): string | undefined {
    return this.appNames.get(child);
  }

  /** The processes still running. */
  live(): ChildService[] {
    return [...this.apis.map((a) => a.child), ...this.workers].filter((c) => !c.done);
  }

  /** Forgets processes that have exited. */
  prune(): void {
    for (const list of [this.apis, this.workers] as Array<Array<Api | ChildService>>) {
      for (let i = list.length - 1; i >= 0; i--) {
        const item = list[i];
        if (('child' in item ? item.child : item).done) list.splice(i, 1);
      }
    }
  }

  async readyAll(): Promise<void> {
    await Promise.all([
      ...this.apis.map((a) => waitForReady(`http://127.0.0.1:${a.port}`, a.child, 90_000)),
      ...this.workers.map((w) => waitForWorker(w)),
    ]);
  }

  async stopAll(graceMs = 30_000): Promise<void> {
    await Promise.all(this.live().map((c) => stopChild(c, graceMs)));
    this.prune();
  }

  killAll(): void {
    for (const c of this.live()) c.process.kill('SIGKILL');
  }
}

const startedWorkers = new WeakSet<ChildService>();

/** Call right after starting a worker: its log tail is bounded, and a worker that cannot reach its database fills it. */
export function watchWorkerStart(child: ChildService): void {
  child.process.stderr!.on('data', (chunk: Buffer) => {
    if (chunk.includes('"worker started"')) startedWorkers.add(child);
  });
}

/** The worker has no HTTP port: it is ready once it logged that it started (at LOG_LEVEL=info). */
export async function waitForWorker(child: ChildService, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!startedWorkers.has(child)) {
    if (child.done) throw new Error(`a worker exited while starting:\n${child.tail.slice(-20).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`a worker was not ready within ${timeoutMs / 1000} s:\n${child.tail.slice(-20).join('\n')}`);
    await sleep(100);
  }
}

/** Sends SIGTERM and resolves with how long the process took to exit, and how. */
export async function terminate(child: ChildService, killAfterMs: number): Promise<{ ms: number; code: number | null; signal: string | null }> {
  const started = Date.now();
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), killAfterMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  return { ms: Date.now() - started, code, signal };
}
