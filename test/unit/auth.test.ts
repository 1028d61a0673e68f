import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Role } from '../../src/auth/roles';
import { principalFromAuthorization, signToken, verifyToken } from '../../src/auth/token';
import { DEVELOPMENT_AUTH_SECRET } from '../../src/config/config';
import { runTokenCli } from '../../src/scripts/token';

const SECRET = 'unit-test-secret-of-some-length';
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('bearer tokens', () => {
  it('verifies what it signed', () => {
    const token = signToken({ role: Role.CUSTOMER, customerId: 'c-42', subject: 'someone' }, SECRET);
    expect(verifyToken(token, SECRET)).toEqual({ role: Role.CUSTOMER, customerId: 'c-42', subject: 'someone' });
    expect(principalFromAuthorization(`Bearer ${token}`, SECRET)?.customerId).toBe('c-42');
    expect(principalFromAuthorization(token, SECRET)?.role).toBe(Role.CUSTOMER);
    expect(principalFromAuthorization(undefined, SECRET)).toBeNull();
    expect(principalFromAuthorization('  ', SECRET)).toBeNull();
  });

  it('refuses an expired token', () => {
    const now = Date.now();
    const token = signToken({ role: Role.OPS, subject: 'x' }, SECRET, 60, now);
    expect(verifyToken(token, SECRET, now + 59_000).role).toBe(Role.OPS);
    expect(codeOf(() => verifyToken(token, SECRET, now + 61_000))).toBe('UNAUTHENTICATED');
  });

  it('refuses a tampered body, a foreign signature and garbage', () => {
    const token = signToken({ role: Role.STOREFRONT, subject: 'shop' }, SECRET);
    const [header, , signature] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'shop', role: 'admin', exp: 9_999_999_999 })).toString('base64url');
    expect(codeOf(() => verifyToken(`${header}.${forgedBody}.${signature}`, SECRET))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verifyToken(token, 'another-secret-entirely'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verifyToken('not.a.token', SECRET))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verifyToken('garbage', SECRET))).toBe('UNAUTHENTICATED');
  });
});

describe('npm run token', () => {
  const env = { AUTH_SECRET: SECRET, NODE_ENV: 'development' };

  it('prints a token for the role, signed with AUTH_SECRET', () => {
    const result = runTokenCli(['--role', 'ops'], env);
    expect(result.exitCode).toBe(0);
    expect(verifyToken(result.stdout.trim(), SECRET)).toMatchObject({ role: Role.OPS });
    const customer = runTokenCli(['--role', 'customer', '--customer', 'c-7', '--ttl', '120'], env);
    const principal = verifyToken(customer.stdout.trim(), SECRET);
    expect(principal).toMatchObject({ role: Role.CUSTOMER, customerId: 'c-7' });
    const claims = JSON.parse(Buffer.from(customer.stdout.trim().split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('signs with the development secret when AUTH_SECRET is unset', () => {
    const result = runTokenCli(['--role=admin'], { NODE_ENV: 'development' });
    expect(verifyToken(result.stdout.trim(), DEVELOPMENT_AUTH_SECRET).role).toBe(Role.ADMIN);
  });

  it('exits with 2 on usage errors', () => {
    for (const argv of [[], ['--role', 'wizard'], ['--role', 'customer'], ['--role', 'ops', '--customer', 'c-1'], ['--role', 'ops', '--ttl', '-5'], ['--bogus']]) {
      const result = runTokenCli(argv, env);
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
    expect(verifyToken(ok.stdout.trim(), SECRET).role).toBe(Role.SERVICE);
    const failed = await run(process.execPath, [...script, '--role', 'wizard'], { cwd: root, env: { ...process.env, ...env } }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/unknown role: wizard/);
  });

  it('refuses a signature altered only in its last character, whose spare bits base64url decoding ignores', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 20; i++) {
      const token = signToken({ role: Role.OPS, subject: `s-${i}` }, SECRET);
      for (const c of alphabet) {
        if (c === token.at(-1)) continue;
        expect(() => verifyToken(token.slice(0, -1) + c, SECRET)).toThrow(/Invalid token signature/);
      }
    }
  });
});
