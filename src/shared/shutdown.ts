import type { Logger } from './logger';

/**
 * Runs `stop` on a signal and exits 0 when it finishes; if it has not finished within `timeoutMs` (Redis or
 * PostgreSQL unreachable, a request that never ends), logs what happened and exits 1 anyway. A second signal while
 * stopping is ignored: the deadline already bounds the wait.
 */
export function exitOnSignals(stop: () => Promise<void>, { timeoutMs, logger }: { timeoutMs: number; logger: Logger }): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal, timeoutMs });
    const deadline = setTimeout(() => {
      logger.error('shutdown did not finish in time: exiting anyway', { timeoutMs });
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error: error instanceof Error ? error.stack : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
