import { errors, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import type { AppConfig } from '../config/config';
import { unauthenticated } from '../shared/errors';
import { Principal, Role } from './roles';

/**
 * HS256 JSON Web Tokens signed with AUTH_SECRET, through `jose`. A token is accepted only with a numeric `exp`
 * in the future; `nbf` and `iat` may not lie in the future (beyond the clock tolerance); `iss` and `aud` must
 * match AUTH_ISSUER / AUTH_AUDIENCE when those are set. Every refusal is UNAUTHENTICATED with a reason.
 */
export type TokenSettings = Pick<AppConfig, 'authSecret' | 'authIssuer' | 'authAudience'>;

export interface VerifiedToken {
  principal: Principal;
  /** From `exp`: the moment the token stops being accepted (websockets close then). */
  expiresAt: Date;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 60 * 60 * 24 * 30;
/**
 * How far the issuer's clock may run ahead of ours for `nbf` and `iat`. `exp` gets no tolerance: a token is not
 * accepted after the moment its issuer said it ends.
 */
export const CLOCK_TOLERANCE_SECONDS = 30;
const ALGORITHM = 'HS256';
const MAX_CLAIM_LENGTH = 200;
/** The last second a JavaScript Date can hold: beyond it `expiresAt` would be an invalid date. */
const MAX_EXP_SECONDS = 8.64e12;

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(
  principal: Principal,
  settings: TokenSettings,
  { ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, now = Date.now() }: { ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const iat = Math.floor(now / 1000);
  const claims: JWTPayload & { role: Role; customerId?: string } = { role: principal.role };
  if (principal.customerId) claims.customerId = principal.customerId;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(principal.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds);
  if (settings.authIssuer) jwt.setIssuer(settings.authIssuer);
  if (settings.authAudience) jwt.setAudience(settings.authAudience);
  return jwt.sign(keyOf(settings.authSecret));
}

export async function verifyToken(token: string, settings: TokenSettings, now = Date.now()): Promise<VerifiedToken> {
  // base64url decoding ignores the spare bits of the last character, so four spellings of one signature decode
  // alike; accept only the canonical one, so an altered token is never accepted.
  const signature = token.split('.')[2] ?? '';
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) throw unauthenticated('Invalid token signature');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(settings.authSecret), {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
      issuer: settings.authIssuer,
      audience: settings.authAudience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
    }));
  } catch (error) {
    throw unauthenticated(refusalReason(error));
  }
  return { principal: principalOf(payload, now), expiresAt: new Date(payload.exp! * 1000) };
}

/** The checks jose leaves to us: `exp` without tolerance, `iat` not in the future, and our own claims. */
function principalOf(claims: JWTPayload, now: number): Principal {
  const nowSeconds = now / 1000;
  if (claims.exp! <= nowSeconds) throw unauthenticated('Token expired');
  if (claims.exp! > MAX_EXP_SECONDS) throw unauthenticated('Token exp claim is out of range');
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw unauthenticated('Token issued in the future (iat)');
  const role = claims.role as Role;
  if (!Object.values(Role).includes(role)) throw unauthenticated('Token carries no known role');
  const customerId = claims.customerId;
  if (customerId !== undefined && !isClaimText(customerId)) throw unauthenticated('Token customerId must be a short text');
  if (role === Role.CUSTOMER && !customerId) throw unauthenticated('A customer token must name its customer');
  if (claims.sub !== undefined && !isClaimText(claims.sub)) throw unauthenticated('Token sub must be a short text');
  return { role, customerId: customerId as string | undefined, subject: claims.sub ?? role };
}

const isClaimText = (value: unknown): value is string =>
  // eslint-disable-next-line no-control-regex
  typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH && !/[\u0000-\u001f]/.test(value);

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Invalid token signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return `Token algorithm not accepted (${ALGORITHM} only)`;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `Token has no ${error.claim} claim`;
    if (error.reason === 'invalid') return `Token ${error.claim} claim must be a number`;
    if (error.claim === 'nbf') return 'Token not valid yet (nbf)';
    return `Token ${error.claim} claim not accepted`;
  }
  return 'Malformed token';
}

/** Reads `Bearer <token>` (or the bare token) from a header or websocket connection parameter; null when absent. */
export async function verifyAuthorization(value: unknown, settings: TokenSettings, now = Date.now()): Promise<VerifiedToken | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw unauthenticated('Malformed token');
  const token = value.trim().replace(/^Bearer(\s+|$)/i, '');
  return token === '' ? null : verifyToken(token, settings, now);
}
