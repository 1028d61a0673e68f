import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, backoffDelayMs } from '../../src/webhooks/webhook-backoff';
import { normaliseEventTypes, webhookEventTypes } from '../../src/webhooks/webhook-event-types';
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret } from '../../src/webhooks/webhook-secrets';
import { signWebhook, verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import { checkWebhookTarget, isPrivateAddress, parseWebhookUrl } from '../../src/webhooks/webhook-url';
import { DomainError } from '../../src/shared/errors';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'accepted';
};

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"PLACED","occurredAt":"2026-12-03T10:00:00.000Z","data":{}}';
  const now = 1_764_756_000;

  it('signs HMAC-SHA256 over "timestamp.body" in hex, as a receiver recomputes it', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, now, body)).toBe(`v1=${expected}`);
  });

  it('verifies a fresh signature and refuses a changed body, another secret, a changed timestamp or a stale one', () => {
    const signature = signWebhook(secret, now, body);
    const check = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, body, timestamp: String(now), signature, now, ...overrides });
    expect(check({})).toBe(true);
    expect(check({ now: now + 299 })).toBe(true);
    expect(check({ body: body.replace('PLACED', 'SHIPPED') })).toBe(false);
    expect(check({ secret: 'whsec_other' })).toBe(false);
    expect(check({ timestamp: String(now + 1) })).toBe(false);
    expect(check({ now: now + 301 })).toBe(false);
    expect(check({ now: now - 301 })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
    expect(check({ timestamp: '1e9' })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: signature.slice(0, -1) })).toBe(false);
    expect(check({ signature: `v1=deadbeef, ${signature}` })).toBe(true);
  });
});

describe('webhook backoff', () => {
  const settings = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per failure up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, settings, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, settings, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(7, settings, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1000, settings, () => 1)).toBe(60_000);
    for (let n = 1; n < 30; n++) {
      const delay = backoffDelayMs(n, settings);
      const ceiling = Math.min(60_000, 1000 * 2 ** (n - 1));
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('retries until the last allowed attempt, then fails', () => {
    expect(afterFailedAttempt(1, 3, settings, () => 1)).toEqual({ status: 'PENDING', retryInMs: 1000 });
    expect(afterFailedAttempt(2, 3, settings, () => 1)).toEqual({ status: 'PENDING', retryInMs: 2000 });
    expect(afterFailedAttempt(3, 3, settings)).toEqual({ status: 'FAILED' });
  });
});

describe('webhook event types', () => {
  it('are the order timeline types, or * for all', () => {
    expect(webhookEventTypes()).toEqual(expect.arrayContaining(['PLACED', 'SHIPPED', 'ALLOCATED']));
    expect(normaliseEventTypes(['SHIPPED', 'PLACED', 'SHIPPED'], 'f')).toEqual(['PLACED', 'SHIPPED']);
    expect(normaliseEventTypes(['SHIPPED', '*'], 'f')).toEqual(['*']);
    expect(codeOf(() => normaliseEventTypes([], 'f'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => normaliseEventTypes(['shipped'], 'f'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => normaliseEventTypes(['PLACED', 'NOT_A_TYPE'], 'f'))).toBe('BAD_USER_INPUT');
  });
});

describe('webhook URLs', () => {
  it('accepts absolute http and https URLs only, without credentials', () => {
    expect(parseWebhookUrl('https://erp.example.com/hooks/oms?x=1#frag', 'u').toString()).toBe('https://erp.example.com/hooks/oms?x=1');
    for (const bad of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      '/relative',
      'example.com',
      '',
      'https://a:b@example.com/',
      `https://example.com/${'x'.repeat(2000)}`,
    ]) {
      expect(
        codeOf(() => parseWebhookUrl(bad, 'u')),
        bad,
      ).toBe('BAD_USER_INPUT');
    }
  });

  it('knows loopback, private, link-local and special addresses, v4 and v6', () => {
    for (const ip of [
      '127.0.0.1',
      '127.1.2.3',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '172.15.255.255', '192.169.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });

  it('refuses private targets, literal or resolved, unless allowed', async () => {
    const resolveTo = (addresses: string[]) => async () => addresses;
    const refused = async (url: string, addresses: string[] = []) =>
      checkWebhookTarget(new URL(url), false, 'u', resolveTo(addresses)).then(
        () => 'accepted',
        (e: DomainError) => e.code,
      );
    expect(await refused('http://127.0.0.1:8080/')).toBe('BAD_USER_INPUT');
    expect(await refused('http://[::1]/')).toBe('BAD_USER_INPUT');
    expect(await refused('http://localhost/')).toBe('BAD_USER_INPUT');
    expect(await refused('http://erp.internal/', ['10.0.0.7'])).toBe('BAD_USER_INPUT');
    expect(await refused('http://erp.example.com/', ['93.184.216.34', '192.168.0.2'])).toBe('BAD_USER_INPUT');
    expect(await refused('https://erp.example.com/', ['93.184.216.34'])).toBe('accepted');
    expect(await checkWebhookTarget(new URL('http://127.0.0.1/'), true, 'u').then(() => 'accepted')).toBe('accepted');
    const unresolvable = await checkWebhookTarget(new URL('https://nowhere.example/'), false, 'u', async () => {
      throw new Error('ENOTFOUND');
    }).catch((e: DomainError) => e.code);
    expect(unresolvable).toBe('BAD_USER_INPUT');
  });
});

describe('webhook secrets at rest', () => {
  it('are random, and encrypted so that only the same key decrypts them', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
    const stored = encryptWebhookSecret(secret, 'key one');
    expect(stored).not.toContain(secret.slice(6));
    expect(encryptWebhookSecret(secret, 'key one')).not.toBe(stored);
    expect(decryptWebhookSecret(stored, 'key one')).toBe(secret);
    expect(() => decryptWebhookSecret(stored, 'key two')).toThrow();
    const [v, iv, tag, ciphertext] = stored.split(':');
    const altered = [
      v,
      iv,
      tag,
      Buffer.from('x' + Buffer.from(ciphertext, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url'),
    ].join(':');
    expect(() => decryptWebhookSecret(altered, 'key one')).toThrow();
  });
});
