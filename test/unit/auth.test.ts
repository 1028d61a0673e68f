import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Role } from '../../src/auth/roles';
import { CLOCK_TOLERANCE_SECONDS, signToken, TokenSettings, verifyAuthorization, verifyToken } from '../../src/auth/token';
import { DEVELOPMENT_AUTH_SECRET } from '../../src/config/config';
import { runTokenCli } from '../../src/scripts/token';
import { signTestToken } from '../support/tokens';

const SECRET = 'unit-test-secret-of-some-length';
const settings: TokenSettings = { authSecret: SECRET };
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const nowSeconds = NOW / 1000;

/** The refusal's code and message, or 'accepted'. */
async function refusal(token: string, given: TokenSettings = settings, now = NOW): Promise<{ code?: string; message: string } | 'accepted'> {
  try {
    await verifyToken(token, given, now);
    return 'accepted';
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

/** A token with the given claims (added to a valid ops token's), signed with SECRET. */
const forge = (claims: Record<string, unknown>, header?: Record<string, unknown>) =>
  signTestToken({ sub: 'someone', role: 'ops', iat: nowSeconds, exp: nowSeconds + 600, ...claims }, SECRET, header);
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('bearer tokens (jose, HS256)', () => {
  it('verifies what it signed, with the moment it expires', async () => {
    const token = await signToken({ role: Role.CUSTOMER, customerId: 'c-42', subject: 'someone' }, settings, { ttlSeconds: 60, now: NOW });
    expect(await verifyToken(token, settings, NOW)).toEqual({
      principal: { role: Role.CUSTOMER, customerId: 'c-42', subject: 'someone' },
      expiresAt: new Date(NOW + 60_000),
    });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claimsOf(token)).toEqual({ role: 'customer', customerId: 'c-42', sub: 'someone', iat: nowSeconds, exp: nowSeconds + 60 });
  });

  it('reads "Bearer <token>" or the bare token; no value means no principal; anything else is refused', async () => {
    const token = await signToken({ role: Role.OPS, subject: 'x' }, settings);
    expect((await verifyAuthorization(`Bearer ${token}`, settings))?.principal.role).toBe(Role.OPS);
    expect((await verifyAuthorization(`bearer   ${token}`, settings))?.principal.role).toBe(Role.OPS);
    expect((await verifyAuthorization(token, settings))?.principal.role).toBe(Role.OPS);
    for (const nothing of [undefined, null, '', '  ', 'Bearer', 'Bearer  ']) expect(await verifyAuthorization(nothing, settings)).toBeNull();
    for (const bad of [42, { token }, [token], 'Basic dXNlcjpwYXNz', `Bearer ${token} extra`]) {
      await expect(verifyAuthorization(bad, settings), String(bad)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  describe('exp', () => {
    it('is refused from the second it names, with no tolerance', async () => {
      const token = await signToken({ role: Role.OPS, subject: 'x' }, settings, { ttlSeconds: 60, now: NOW });
      expect(await refusal(token, settings, NOW + 59_999)).toBe('accepted');
      expect(await refusal(token, settings, NOW + 60_000)).toEqual({ code: 'UNAUTHENTICATED', message: 'Token expired' });
      expect(await refusal(token, settings, NOW + 3_600_000)).toEqual({ code: 'UNAUTHENTICATED', message: 'Token expired' });
    });

    it('must lie within the range of a date', async () => {
      expect(await refusal(forge({ exp: 1e300 }))).toEqual({ code: 'UNAUTHENTICATED', message: 'Token exp claim is out of range' });
      expect(await refusal(forge({ exp: 8.64e12 }))).toBe('accepted');
    });

    it('is required', async () => {
      expect(await refusal(forge({ exp: undefined }))).toEqual({ code: 'UNAUTHENTICATED', message: 'Token has no exp claim' });
    });

    it('must be a number: a string, past or future, is refused', async () => {
      for (const exp of [String(nowSeconds - 60), String(nowSeconds + 600), '2100-01-01', null, true, [nowSeconds + 600]]) {
        expect(await refusal(forge({ exp })), JSON.stringify(exp)).toEqual({ code: 'UNAUTHENTICATED', message: 'Token exp claim must be a number' });
      }
    });
  });

  describe('nbf', () => {
    it('in the future beyond the clock tolerance is refused (nbf in 2100)', async () => {
      expect(await refusal(forge({ nbf: Date.UTC(2100, 0, 1) / 1000, exp: Date.UTC(2100, 0, 2) / 1000 }))).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Token not valid yet (nbf)',
      });
      expect(await refusal(forge({ nbf: nowSeconds + CLOCK_TOLERANCE_SECONDS + 1 }))).toMatchObject({ message: 'Token not valid yet (nbf)' });
    });

    it('in the past, or ahead of us by less than the tolerance, is accepted; a string is refused', async () => {
      expect(await refusal(forge({ nbf: nowSeconds - 3600 }))).toBe('accepted');
      expect(await refusal(forge({ nbf: nowSeconds + CLOCK_TOLERANCE_SECONDS - 1 }))).toBe('accepted');
      expect(await refusal(forge({ nbf: String(nowSeconds - 3600) }))).toMatchObject({ message: 'Token nbf claim must be a number' });
    });
  });

  describe('iat', () => {
    it('in the future beyond the clock tolerance is refused', async () => {
      expect(await refusal(forge({ iat: nowSeconds + CLOCK_TOLERANCE_SECONDS + 1 }))).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Token issued in the future (iat)',
      });
      expect(await refusal(forge({ iat: nowSeconds + 86_400 * 365 }))).toMatchObject({ message: 'Token issued in the future (iat)' });
    });

    it('in the past, a little ahead or absent is accepted; a string is refused', async () => {
      expect(await refusal(forge({ iat: nowSeconds - 86_400 }))).toBe('accepted');
      expect(await refusal(forge({ iat: nowSeconds + CLOCK_TOLERANCE_SECONDS - 1 }))).toBe('accepted');
      expect(await refusal(forge({ iat: undefined }))).toBe('accepted');
      expect(await refusal(forge({ iat: String(nowSeconds) }))).toMatchObject({ message: 'Token iat claim must be a number' });
    });
  });

  describe('iss and aud', () => {
    const strict: TokenSettings = { authSecret: SECRET, authIssuer: 'https://auth.example.com', authAudience: 'oms' };

    it('are written by signToken when configured, and checked', async () => {
      const token = await signToken({ role: Role.ADMIN, subject: 'a' }, strict, { now: NOW });
      expect(claimsOf(token)).toMatchObject({ iss: 'https://auth.example.com', aud: 'oms' });
      expect(await refusal(token, strict)).toBe('accepted');
      expect(await refusal(forge({ iss: 'https://auth.example.com', aud: ['other', 'oms'] }), strict)).toBe('accepted');
    });

    it('a token without them, or with other values, is refused when they are configured', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ aud: 'oms' }, 'Token has no iss claim'],
        [{ iss: 'https://auth.example.com' }, 'Token has no aud claim'],
        [{ iss: 'https://evil.example.com', aud: 'oms' }, 'Token iss claim not accepted'],
        [{ iss: 'https://auth.example.com', aud: 'another-api' }, 'Token aud claim not accepted'],
      ];
      for (const [claims, message] of cases) {
        expect(await refusal(forge(claims), strict), JSON.stringify(claims)).toEqual({ code: 'UNAUTHENTICATED', message });
      }
      expect(await refusal(await signToken({ role: Role.ADMIN, subject: 'a' }, settings, { now: NOW }), strict)).toMatchObject({
        message: 'Token has no iss claim',
      });
    });

    it('are neither written nor required when not configured', async () => {
      const token = await signToken({ role: Role.ADMIN, subject: 'a' }, settings, { now: NOW });
      expect(claimsOf(token)).not.toHaveProperty('iss');
      expect(claimsOf(token)).not.toHaveProperty('aud');
      expect(await refusal(forge({ iss: 'anyone', aud: 'anything' }))).toBe('accepted');
    });
  });

  it('accepts HS256 only: alg none, HS512 and RS256 headers are refused', async () => {
    const unsigned = `${forge({}, { alg: 'none', typ: 'JWT' }).split('.').slice(0, 2).join('.')}.`;
    expect(await refusal(unsigned)).toMatchObject({ code: 'UNAUTHENTICATED' });
    for (const alg of ['HS512', 'RS256', 'none']) {
      expect(await refusal(forge({}, { alg, typ: 'JWT' })), alg).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Token algorithm not accepted (HS256 only)',
      });
    }
  });

  it('refuses a tampered body, a foreign signature and garbage', async () => {
    const token = await signToken({ role: Role.STOREFRONT, subject: 'shop' }, settings);
    const [header, , signature] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'shop', role: 'admin', exp: 9_999_999_999 })).toString('base64url');
    expect(await refusal(`${header}.${forgedBody}.${signature}`, settings, Date.now())).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Invalid token signature',
    });
    expect(await refusal(token, { authSecret: 'another-secret-entirely' }, Date.now())).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Invalid token signature',
    });
    for (const garbage of ['not.a.token', 'garbage', '', '..', 'a.b.c.d', `${header}..${signature}`]) {
      expect(await refusal(garbage), garbage).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    // A claims set that is not a JSON object.
    expect(await refusal(signTestToken([1, 2] as unknown as Record<string, unknown>, SECRET))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Malformed token',
    });
  });

  it('refuses a signature altered only in its last character, whose spare bits base64url decoding ignores', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 5; i++) {
      const token = await signToken({ role: Role.OPS, subject: `s-${i}` }, settings);
      for (const c of alphabet) {
        if (c === token.at(-1)) continue;
        await expect(verifyToken(token.slice(0, -1) + c, settings)).rejects.toThrow(/Invalid token signature/);
      }
    }
  });

  it('keeps its own claims: a known role, a customer bound to a customer id, short text for sub and customerId', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: 'wizard' }, 'Token carries no known role'],
      [{ role: undefined }, 'Token carries no known role'],
      [{ role: 'customer' }, 'A customer token must name its customer'],
      [{ role: 'customer', customerId: '' }, 'Token customerId must be a short text'],
      [{ role: 'customer', customerId: 42 }, 'Token customerId must be a short text'],
      [{ role: 'customer', customerId: 'c\u0000-1' }, 'Token customerId must be a short text'],
      [{ role: 'customer', customerId: 'c'.repeat(201) }, 'Token customerId must be a short text'],
      [{ sub: { id: 1 } }, 'Token sub must be a short text'],
    ];
    for (const [claims, message] of cases) {
      expect(await refusal(forge(claims)), JSON.stringify(claims)).toEqual({ code: 'UNAUTHENTICATED', message });
    }
    expect((await verifyToken(forge({ sub: undefined, role: 'service' }), settings, NOW)).principal).toEqual({
      role: Role.SERVICE,
      subject: 'service',
    });
  });
});

describe('npm run token', () => {
  const env = { AUTH_SECRET: SECRET, NODE_ENV: 'development' };

  it('prints a token for the role, signed with AUTH_SECRET', async () => {
    const result = await runTokenCli(['--role', 'ops'], env);
    expect(result.exitCode).toBe(0);
    expect((await verifyToken(result.stdout.trim(), settings)).principal).toMatchObject({ role: Role.OPS });
    const customer = await runTokenCli(['--role', 'customer', '--customer', 'c-7', '--ttl', '120'], env);
    const { principal } = await verifyToken(customer.stdout.trim(), settings);
    expect(principal).toMatchObject({ role: Role.CUSTOMER, customerId: 'c-7' });
    const claims = claimsOf(customer.stdout.trim());
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('issues the accounting role (invoices and credit notes), and names it in its usage', async () => {
    const result = await runTokenCli(['--role', 'accounting'], env);
    expect(result.exitCode).toBe(0);
    expect((await verifyToken(result.stdout.trim(), settings)).principal).toMatchObject({ role: Role.ACCOUNTING });
    expect((await runTokenCli(['--help'], env)).stdout).toContain('accounting');
  });

  it('writes AUTH_ISSUER and AUTH_AUDIENCE as iss and aud', async () => {
    const strictEnv = { ...env, AUTH_ISSUER: 'https://auth.example.com', AUTH_AUDIENCE: 'oms' };
    const token = (await runTokenCli(['--role', 'admin'], strictEnv)).stdout.trim();
    expect(claimsOf(token)).toMatchObject({ iss: 'https://auth.example.com', aud: 'oms' });
    const strict = { authSecret: SECRET, authIssuer: 'https://auth.example.com', authAudience: 'oms' };
    expect((await verifyToken(token, strict)).principal.role).toBe(Role.ADMIN);
  });

  it('signs with the development secret when AUTH_SECRET is unset', async () => {
    const result = await runTokenCli(['--role=admin'], { NODE_ENV: 'development' });
    expect((await verifyToken(result.stdout.trim(), { authSecret: DEVELOPMENT_AUTH_SECRET })).principal.role).toBe(Role.ADMIN);
  });

  it('exits with 2 on usage errors', async () => {
    for (const argv of [
      [],
      ['--role', 'wizard'],
      ['--role', 'customer'],
      ['--role', 'ops', '--customer', 'c-1'],
      ['--role', 'ops', '--ttl', '-5'],
      ['--bogus'],
    ]) {
      const result = await runTokenCli(argv, env);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/usage: npm run token/);
    }
  });

  it('runs as a script: the token on stdout, exit code 2 for an unknown role', async () => {
    const run = promisify(execFile);
    const root = path.resolve(__dirname, '..', '..');
    const script = ['-r', '@swc-node/register', 'src/scripts/token.ts'];
    const ok = await run(process.execPath, [...script, '--role', 'service'], { cwd: root, env: { ...process.env, ...env } });
    expect((await verifyToken(ok.stdout.trim(), settings)).principal.role).toBe(Role.SERVICE);
    const failed = await run(process.execPath, [...script, '--role', 'wizard'], { cwd: root, env: { ...process.env, ...env } }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/unknown role: wizard/);
  });
});
