import { TokenSettings, VerifiedToken, verifyAuthorization } from './token';

/** Longest Authorization value remembered (a normal token is a few hundred characters). */
const MAX_CACHED_LENGTH = 2048;

/**
 * Accepted tokens remembered by their exact Authorization value, so a client that sends the same token with every
 * request costs one signature check rather than one per request. Each use checks `exp` again, the one check that a
 * later moment can fail (`nbf` and `iat` only become more acceptable), so a remembered token is refused exactly
 * when verifyAuthorization would refuse it. Refused tokens are never remembered. Oldest entries go first when full.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(
    private readonly settings: TokenSettings,
    private readonly maxEntries = 5_000,
  ) {}

  async verify(authorization: unknown, now = Date.now()): Promise<VerifiedToken | null> {
    const cacheable = typeof authorization === 'string' && authorization.length <= MAX_CACHED_LENGTH;
    if (cacheable) {
      const known = this.entries.get(authorization);
      if (known && known.expiresAt.getTime() > now) return known;
      if (known) this.entries.delete(authorization);
    }
    const verified = await verifyAuthorization(authorization, this.settings, now);
    if (verified && cacheable) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(authorization, verified);
    }
    return verified;
  }
}
