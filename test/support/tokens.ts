import { createHmac } from 'node:crypto';

/**
 * Signs any claims and header as an HS256 JWS, synchronously: the test client's tokens, and the malformed or
 * hostile ones the tests send (no `exp`, a string `exp`, `nbf` in 2100, `alg: none`). The service itself signs and
 * verifies through jose (src/auth/token.ts); this is a test fixture, not a second implementation to keep in step.
 */
export function signTestToken(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
