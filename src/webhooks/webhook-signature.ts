import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook request (lower case, as Node shows them to a receiver). */
export const WEBHOOK_HEADERS = {
  eventId: 'x-oms-event-id',
  eventType: 'x-oms-event-type',
  deliveryId: 'x-oms-delivery-id',
  /** Unix seconds when this attempt was signed. */
  timestamp: 'x-oms-timestamp',
  /** `v1=<hex HMAC-SHA256 of "${timestamp}.${body}">`. */
  signature: 'x-oms-signature',
} as const;

/** How far a receiver should let the signed timestamp stray from its clock (replay protection). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The signature header value for one attempt: HMAC-SHA256 over `${timestamp}.${body}` with the endpoint's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface SignatureCheck {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  /** Unix seconds; the receiver's clock. */
  now?: number;
}

/** What a receiver does: the timestamp is recent, and one `v1=` signature matches (compared in constant time). */
export function verifyWebhookSignature(check: SignatureCheck): boolean {
  const tolerance = check.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = check.now ?? Math.floor(Date.now() / 1000);
  if (!check.timestamp || !/^\d{1,12}$/.test(check.timestamp) || !check.signature) return false;
  const timestamp = Number(check.timestamp);
  if (Math.abs(now - timestamp) > tolerance) return false;
  const expected = Buffer.from(signWebhook(check.secret, timestamp, check.body));
  return check.signature.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
