/**
 * Whether a failure to reach PostgreSQL is worth waiting out: the server is down, restarting, starting up or
 * shutting down, or the network dropped. Wrong credentials, a missing role or a bad URL are not: they fail at once.
 */
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);
/** cannot_connect_now, admin_shutdown, crash_shutdown, and the connection_exception class (08…). */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

export function isTransientConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = String((error as { code?: unknown }).code ?? '');
  if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08')) return true;
  const message = String((error as { message?: unknown }).message ?? '');
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i.test(
    message,
  );
}

/** Exponential backoff from `baseMs`, doubling per attempt (1-based), capped at `maxMs`. */
export function backoffDelay(attempt: number, baseMs = 250, maxMs = 5_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
