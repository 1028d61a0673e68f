import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../shared/errors';
import { Principal, Role } from './roles';

/** HS256 JSON Web Tokens, signed with AUTH_SECRET. Small enough to own rather than depend on. */
const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export function signToken(principal: Principal, secret: string, ttlSeconds = 60 * 60 * 24 * 30, now = Date.now()): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(now / 1000);
  const claims: Record<string, unknown> = { sub: principal.subject, role: principal.role, iat, exp: iat + ttlSeconds };
  if (principal.customerId) claims.customerId = principal.customerId;
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

export function verifyToken(token: string, secret: string, now = Date.now()): Principal {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthenticated('Malformed token');
  const [header, body, signature] = parts;
  // Compare the signature as text: base64url decoding ignores the last character's spare bits, so comparing
  // decoded bytes would accept altered signatures.
  const expected = Buffer.from(createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated('Invalid token signature');
  let claims: Record<string, unknown>;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (parsedHeader.alg !== 'HS256') throw new Error('alg');
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw unauthenticated('Malformed token');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < now) throw unauthenticated('Token expired');
  const role = claims.role as Role;
  if (!Object.values(Role).includes(role)) throw unauthenticated('Token carries no known role');
  const customerId = typeof claims.customerId === 'string' ? claims.customerId : undefined;
  if (role === Role.CUSTOMER && !customerId) throw unauthenticated('A customer token must name its customer');
  return { role, customerId, subject: String(claims.sub ?? role) };
}

/** Reads `Bearer <token>` (or the bare token) from a header or websocket connection parameter. */
export function principalFromAuthorization(value: unknown, secret: string): Principal | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const token = value.replace(/^Bearer\s+/i, '').trim();
  return verifyToken(token, secret);
}
