import { timingSafeEqual } from 'node:crypto';

/**
 * With METRICS_TOKEN set, /metrics wants `Authorization: Bearer <METRICS_TOKEN>`; without it /metrics is open, for a
 * scraper on a private network. Compared in constant time.
 */
export function metricsAccessAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
