import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { bootstrapLogger, createLogger } from '../shared/logger';

/**
 * `npm start` (compiled) and `npm run dev` (TypeScript through swc-node): runs the API and the worker as two child
 * processes. SIGINT and SIGTERM are forwarded to both, which shut down gracefully; a second signal kills them.
 * If either child exits on its own, the other is stopped and this process exits non-zero, so a supervisor
 * (systemd, Docker, Kubernetes) restarts the pair.
 *
 * The children run in their own process group: a Ctrl-C in the terminal reaches this process only, and each child
 * receives exactly one signal (forwarded from here) instead of two.
 */

/** The children bound their own shutdown by SHUTDOWN_TIMEOUT_MS; this is the backstop after it. */
const STOP_MARGIN_MS = 5_000;

/** This file sits at src/scripts/start-all.ts or dist/src/scripts/start-all.js; the entry points sit alike. */
const runningTypeScript = __filename.endsWith('.ts');
const extension = runningTypeScript ? '.ts' : '.js';
const entryPoints = {
  api: path.resolve(__dirname, '..', 'api', `main${extension}`),
  worker: path.resolve(__dirname, '..', '..', 'worker', `main${extension}`),
};
/** Under swc-node the children need the same loader; resolved here so it works from any working directory. */
const nodeArgs = runningTypeScript ? ['-r', require.resolve('@swc-node/register')] : [];

interface Child {
  name: keyof typeof entryPoints;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done: boolean;
}

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    bootstrapLogger('start-all').error('start-up failed', { error: error.message });
    process.exit(1);
  }
  const logger = createLogger(config, 'start-all');
  const stopTimeoutMs = config.shutdownTimeoutMs + STOP_MARGIN_MS;

  const children: Child[] = (Object.keys(entryPoints) as Array<keyof typeof entryPoints>).map((name) => {
    const child = spawn(process.execPath, [...nodeArgs, entryPoints[name]], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
      detached: true,
    });
    const entry: Child = {
      name,
      process: child,
      done: false,
      exited: new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          entry.done = true;
          resolve({ code, signal });
        });
        child.once('error', (error) => {
          // Could not be spawned at all: treat it like an unexpected exit.
          logger.error('could not start child process', { child: name, error: error.message });
          entry.done = true;
          resolve({ code: 1, signal: null });
        });
      }),
    };
    return entry;
  });
  logger.info(
    'started',
    Object.fromEntries(children.map((c) => [c.name, { pid: c.process.pid, entry: path.relative(process.cwd(), entryPoints[c.name]) }])),
  );

  let stopping: { reason: string; failed: boolean } | null = null;
  const signalAll = (signal: NodeJS.Signals) => {
    for (const child of children) {
      if (!child.done) child.process.kill(signal);
    }
  };

  const stopAll = (reason: string, failed: boolean, signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = { reason, failed };
    signalAll(signal);
    const timer = setTimeout(() => {
      logger.error('children did not stop in time: killing them', { timeoutMs: stopTimeoutMs });
      stopping!.failed = true;
      signalAll('SIGKILL');
    }, stopTimeoutMs);
    timer.unref();
    void Promise.all(children.map((c) => c.exited)).then((results) => {
      clearTimeout(timer);
      const clean = results.every((r) => r.code === 0);
      const failedNow = stopping!.failed || !clean;
      logger[failedNow ? 'error' : 'info']('stopped', {
        reason,
        children: Object.fromEntries(children.map((c, i) => [c.name, results[i].signal ?? results[i].code])),
      });
      process.exit(failedNow ? 1 : 0);
    });
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn('second signal: killing the children', { signal });
        signalAll('SIGKILL');
        return;
      }
      logger.info('stopping', { signal });
      stopAll(signal, false, signal);
    });
  }

  for (const child of children) {
    void child.exited.then(({ code, signal }) => {
      if (stopping) return;
      logger.error('child process exited unexpectedly: stopping the other', { child: child.name, code, signal });
      stopAll(`${child.name} exited`, true, 'SIGTERM');
    });
  }

  // Whatever ends this process, leave no child behind (a kill -9 of this process is the one case this cannot catch).
  process.on('exit', () => signalAll('SIGKILL'));
}

main();
