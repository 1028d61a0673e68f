import type { MikroORM } from '@mikro-orm/postgresql';
import { createOutageLog, OutageLog } from '../observability/outage-log';
import type { Logger } from '../shared/logger';
import { afterFailedAttempt, BackoffSettings } from './webhook-backoff';
import { decryptWebhookSecret } from './webhook-secrets';
import { sendWebhook, WebhookResponse } from './webhook-sender';
import { signWebhook, WEBHOOK_HEADERS } from './webhook-signature';
import { sqlArray } from '../db/sql';

export interface DispatcherOptions {
  timeoutMs: number;
  maxAttempts: number;
  backoff: BackoffSettings;
  concurrency: number;
  pollMs: number;
  allowPrivate: boolean;
  secretKey: string;
  /** How long a claim keeps other dispatchers off a delivery; must outlast an attempt. Default 2 × timeout + 1 s. */
  leaseMs?: number;
  logger?: Logger;
  random?: () => number;
}

export const DELIVERED_RETENTION_DAYS = 30;

interface ClaimedDelivery {
  id: string;
  claim_token: string;
  attempts: number;
  event_id: string;
  event_type: string;
  payload: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  url: string;
  secret_ciphertext: string;
}

/**
 * Sends owed webhook deliveries from the database, in a loop of its own beside the outbox relay and the allocator,
 * with at most `concurrency` requests in flight. A delivery is claimed (for update skip locked) by pushing its
 * `next_attempt_at` a lease ahead under a new claim token, so several dispatchers never send it at once, and one
 * that dies leaves it due again when the lease lapses. The outcome is written only under that same token.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private timer: NodeJS.Timeout | null = null;
  private filling: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastSweep = 0;
  private readonly outage: OutageLog | null;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: DispatcherOptions,
  ) {
    this.outage = options.logger ? createOutageLog(options.logger, 'webhook dispatch', { retry: 'automatic' }) : null;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 2 * this.options.timeoutMs + 1000;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.kick();
  }

  /** Looks for due deliveries now (after the relay owed new ones, or an attempt finished). */
  kick(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill()
      .then(() => this.outage?.success())
      .catch((error) => this.outage?.failure(error))
      .finally(() => {
        this.filling = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops claiming and lets the attempts in flight finish (each is bounded by the timeout). */
  async stop(): Promise<void> {
    this.halt();
    await this.filling?.catch(() => undefined);
    await Promise.all([...this.inFlight.values()].map((attempt) => attempt.done));
  }

  /**
   * What a killed process does: stops at once, abandoning its attempts in flight without recording them. Their
   * claims lapse after the lease and another dispatcher delivers them. For tests of exactly that.
   */
  async abandon(): Promise<void> {
    this.halt();
    for (const attempt of this.inFlight.values()) attempt.abort.abort();
    await this.filling?.catch(() => undefined);
    await Promise.all([...this.inFlight.values()].map((attempt) => attempt.done));
  }

  private halt(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async fill(): Promise<void> {
    if (Date.now() - this.lastSweep >= this.options.pollMs) {
      this.lastSweep = Date.now();
      await this.giveUpOnLapsedLastAttempts();
      await this.purgeOldDeliveries();
    }
    for (;;) {
      const room = this.options.concurrency - this.inFlight.size;
      if (room <= 0 || this.stopped) return;
      const claimed = await this.claim(room);
      for (const delivery of claimed) this.attempt(delivery);
      if (claimed.length < room) return;
    }
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    return this.orm.em.fork().execute(
      `with due as (
         select d.id from webhook_delivery d join webhook_endpoint w on w.id = d.endpoint_id
         where d.status = 'PENDING' and d.next_attempt_at <= now() and d.attempts < ? and w.enabled and d.id <> all(?::uuid[])
         order by d.next_attempt_at, d.id limit ? for update of d skip locked)
       update webhook_delivery d
       set attempts = d.attempts + 1, last_attempt_at = now(), claim_token = gen_random_uuid(),
           next_attempt_at = now() + make_interval(secs => ?)
       from due, webhook_endpoint w
       where d.id = due.id and w.id = d.endpoint_id
       returning d.id, d.claim_token, d.attempts, d.event_id, d.event_type, d.payload, w.url, w.secret_ciphertext`,
      [this.options.maxAttempts, sqlArray(this.inFlight.keys()), limit, this.leaseMs / 1000],
    );
  }

  /** A claimer died during the last allowed attempt: nothing will record it, so it fails once its lease lapsed. */
  private async giveUpOnLapsedLastAttempts(): Promise<void> {
    await this.orm.em.fork().execute(
      `update webhook_delivery set status = 'FAILED', next_attempt_at = null, claim_token = null,
         last_error = coalesce(last_error || '; ', '') || 'the last attempt never reported back (its worker stopped)'
       where status = 'PENDING' and attempts >= ? and next_attempt_at <= now()`,
      [this.options.maxAttempts],
    );
  }

  /** The log keeps delivered rows for DELIVERED_RETENTION_DAYS; failed ones stay until retried or deleted. */
  private async purgeOldDeliveries(): Promise<void> {
    await this.orm.em.fork().execute(
      `delete from webhook_delivery where id in (
         select id from webhook_delivery where status = 'DELIVERED' and delivered_at < now() - make_interval(days => ?) limit 1000)`,
      [DELIVERED_RETENTION_DAYS],
    );
  }

  private attempt(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const done = this.send(delivery, abort.signal)
      .then((response) => (abort.signal.aborted ? undefined : this.record(delivery, response)))
      .catch((error) => this.options.logger?.error('webhook attempt could not be recorded', { deliveryId: delivery.id, error: String(error) }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.kick();
      });
    this.inFlight.set(delivery.id, { done, abort });
  }

  private async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<WebhookResponse> {
    const { id, type, occurredAt, data } = delivery.payload;
    const body = JSON.stringify({ id, type, occurredAt, data });
    let secret: string;
    try {
      secret = decryptWebhookSecret(delivery.secret_ciphertext, this.options.secretKey);
    } catch {
      return { ok: false, httpStatus: null, error: 'the signing secret cannot be decrypted with WEBHOOK_SECRET_KEY: rotate it' };
    }
    const timestamp = Math.floor(Date.now() / 1000);
    return sendWebhook(
      {
        url: delivery.url,
        body,
        headers: {
          [WEBHOOK_HEADERS.eventId]: delivery.event_id,
          [WEBHOOK_HEADERS.eventType]: delivery.event_type,
          [WEBHOOK_HEADERS.deliveryId]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
        },
      },
      { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate, signal },
    );
  }

  private async record(delivery: ClaimedDelivery, response: WebhookResponse): Promise<void> {
    const em = this.orm.em.fork();
    if (response.ok) {
      await em.execute(
        `update webhook_delivery set status = 'DELIVERED', delivered_at = now(), next_attempt_at = null, claim_token = null, last_http_status = ?
         where id = ? and claim_token = ?`,
        [response.httpStatus, delivery.id, delivery.claim_token],
      );
      return;
    }
    const outcome = afterFailedAttempt(delivery.attempts, this.options.maxAttempts, this.options.backoff, this.options.random);
    await em.execute(
      `update webhook_delivery set status = ?, claim_token = null, last_http_status = ?, last_error = ?,
         next_attempt_at = case when ? then now() + make_interval(secs => ?) end
       where id = ? and claim_token = ?`,
      [
        outcome.status,
        response.httpStatus,
        (response.error ?? 'failed').slice(0, 1000),
        outcome.status === 'PENDING',
        outcome.status === 'PENDING' ? outcome.retryInMs / 1000 : 0,
        delivery.id,
        delivery.claim_token,
      ],
    );
  }
}
