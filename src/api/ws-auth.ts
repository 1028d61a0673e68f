import type { WebSocket } from 'ws';
import type { Principal } from '../auth/roles';
import { TokenSettings, verifyAuthorization } from '../auth/token';
import { DomainError } from '../shared/errors';

/**
 * graphql-ws's code for a connection refused at `connection_init`. Its client treats it as retryable (unlike 4401),
 * so a client whose `connectionParams` is a function fetching a fresh token reconnects by itself.
 */
export const WS_FORBIDDEN = 4403;
/** setTimeout fires at once for delays above 2^31 - 1 ms (24.8 days), shorter than the default token lifetime. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A close frame's reason may hold at most 123 bytes. */
const MAX_REASON_LENGTH = 120;

/**
 * `connection_init`: every socket needs a valid token, as every HTTP request does. A missing, invalid or expired
 * token closes the socket with 4403 and a reason (`Forbidden: Token expired`) and returns null; a valid one
 * returns the principal, and the socket is closed with 4403 when the token expires.
 */
export async function authenticateSocket(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  socket: WebSocket,
  settings: TokenSettings,
): Promise<Principal | null> {
  let reason = 'No token: pass connectionParams.authorization = "Bearer <token>"';
  try {
    const verified = await verifyAuthorization(connectionParams?.authorization, settings);
    if (verified) {
      closeAtExpiry(socket, verified.expiresAt);
      return verified.principal;
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    reason = error.message;
  }
  socket.close(WS_FORBIDDEN, `Forbidden: ${reason}`.slice(0, MAX_REASON_LENGTH));
  return null;
}

/** Closes the socket when its token expires; the timer goes with the socket. */
export function closeAtExpiry(socket: WebSocket, expiresAt: Date): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = expiresAt.getTime() - Date.now();
    if (left <= 0) {
      socket.close(WS_FORBIDDEN, 'Forbidden: Token expired');
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  socket.once('close', () => clearTimeout(timer));
  arm();
}
