import { describe, expect, it } from 'vitest';
import { Role } from '../../src/auth/roles';
import { signToken, TokenSettings } from '../../src/auth/token';
import { VerifiedTokenCache } from '../../src/auth/token-cache';

const settings: TokenSettings = { authSecret: 'unit-test-secret-of-some-length' };
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const ops = (ttlSeconds = 60, subject = 'someone') => signToken({ role: Role.OPS, subject }, settings, { ttlSeconds, now: NOW });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error) => `${error.code}: ${error.message}`,
  );

describe('the verified-token cache', () => {
  it('answers a remembered token as verifyAuthorization did, until the second of its exp', async () => {
    const cache = new VerifiedTokenCache(settings);
    const header = `Bearer ${await ops(60)}`;
    const first = await cache.verify(header, NOW);
    expect(first?.principal).toEqual({ role: Role.OPS, subject: 'someone' });
    expect(await cache.verify(header, NOW + 59_999)).toBe(first);
    expect(await codeOf(cache.verify(header, NOW + 60_000))).toBe('UNAUTHENTICATED: Token expired');
    // Forgotten once refused: a later call checks it afresh (and refuses it again).
    expect(await codeOf(cache.verify(header, NOW + 1_000))).toBe('accepted');
  });

  it('never remembers a refusal, nor lets a remembered token vouch for an altered one', async () => {
    const cache = new VerifiedTokenCache(settings);
    const token = await ops();
    await cache.verify(`Bearer ${token}`, NOW);
    const altered = `Bearer ${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (let i = 0; i < 2; i++) expect(await codeOf(cache.verify(altered, NOW))).toMatch(/^UNAUTHENTICATED/);
    const other = new VerifiedTokenCache({ authSecret: 'another-secret-of-some-length' });
    expect(await codeOf(other.verify(`Bearer ${token}`, NOW))).toBe('UNAUTHENTICATED: Invalid token signature');
    expect(await cache.verify(undefined, NOW)).toBeNull();
  });

  it('holds at most its number of entries, dropping the oldest', async () => {
    const cache = new VerifiedTokenCache(settings, 2);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((s) => ops(60, s)));
    const first = await cache.verify(a, NOW);
    await cache.verify(b, NOW);
    expect(await cache.verify(a, NOW)).toBe(first);
    await cache.verify(c, NOW);
    // a was the oldest entry: verified again, it is a new object with equal content.
    const again = await cache.verify(a, NOW);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
