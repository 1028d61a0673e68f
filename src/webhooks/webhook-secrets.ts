import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A new signing secret: shown to the client once, then kept only encrypted. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const keyFrom = (keyMaterial: string) => Buffer.from(hkdfSync('sha256', keyMaterial, 'backorder-oms', 'webhook-signing-secret', 32));

/**
 * Secrets are needed in clear to sign, so they cannot be hashed: they are stored AES-256-GCM encrypted under a key
 * derived from config.webhookSecretKey, so a copy of the database alone does not reveal them.
 */
export function encryptWebhookSecret(secret: string, keyMaterial: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(keyMaterial), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
}

/** Throws when the key is not the one the secret was encrypted with (or the text was altered). */
export function decryptWebhookSecret(stored: string, keyMaterial: string): string {
  const [version, iv, tag, ciphertext] = stored.split(':');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('webhook secret: unknown storage format');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(keyMaterial), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
