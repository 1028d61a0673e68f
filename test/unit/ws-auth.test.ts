import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import { authenticateSocket, closeAtExpiry, WS_FORBIDDEN } from '../../src/api/ws-auth';

const DAY_MS = 86_400_000;
const settings = { authSecret: 'unit-test-secret-of-some-length' };

/** Records close() calls and emits 'close' as ws does. */
class FakeSocket extends EventEmitter {
  closes: Array<[number, string]> = [];
  close(code: number, reason: string) {
    this.closes.push([code, reason]);
    this.emit('close', code, Buffer.from(reason));
  }
}
const asSocket = (socket: FakeSocket) => socket as unknown as WebSocket;

describe('websocket tokens', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 11, 3) }));
  afterEach(() => vi.useRealTimers());

  it('closes at exp even when exp lies beyond setTimeout’s 24.8-day limit', () => {
    const socket = new FakeSocket();
    closeAtExpiry(asSocket(socket), new Date(Date.now() + 30 * DAY_MS));
    vi.advanceTimersByTime(25 * DAY_MS);
    expect(socket.closes).toEqual([]);
    vi.advanceTimersByTime(5 * DAY_MS - 1);
    expect(socket.closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket.closes).toEqual([[WS_FORBIDDEN, 'Forbidden: Token expired']]);
  });

  it('forgets the timer when the socket closes first', () => {
    const socket = new FakeSocket();
    closeAtExpiry(asSocket(socket), new Date(Date.now() + 60_000));
    socket.close(1000, 'bye');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(120_000);
    expect(socket.closes).toEqual([[1000, 'bye']]);
  });

  it('connection_init: a valid token gives the principal and arms the close; none or a bad one closes with 4403', async () => {
    const good = new FakeSocket();
    const token = await signToken({ role: Role.OPS, subject: 'o' }, settings, { ttlSeconds: 60 });
    expect(await authenticateSocket({ authorization: `Bearer ${token}` }, asSocket(good), settings)).toEqual({ role: Role.OPS, subject: 'o' });
    expect(good.closes).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(good.closes).toEqual([[WS_FORBIDDEN, 'Forbidden: Token expired']]);

    for (const [params, reason] of [
      [undefined, /^Forbidden: No token/],
      [{}, /^Forbidden: No token/],
      [{ authorization: 'Bearer nope' }, /^Forbidden: Malformed token$/],
      [{ authorization: 7 }, /^Forbidden: Malformed token$/],
    ] as const) {
      const socket = new FakeSocket();
      expect(await authenticateSocket(params, asSocket(socket), settings)).toBeNull();
      expect(socket.closes).toHaveLength(1);
      expect(socket.closes[0][0]).toBe(WS_FORBIDDEN);
      expect(socket.closes[0][1]).toMatch(reason);
      expect(Buffer.byteLength(socket.closes[0][1])).toBeLessThanOrEqual(123);
    }
  });
});
