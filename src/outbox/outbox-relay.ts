import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { topics } from '../events/topics';
import type { Logger } from '../shared/logger';
import { createOutageLog, OutageLog } from '../observability/outage-log';
import { OUTBOX_NOTIFY_CHANNEL, type OutboxMessageInput } from './outbox';
import { sqlArray } from '../db/sql';

export interface RelayTargets {
  /** Publishes many messages at once; rejects if Redis is unreachable. */
  publish(messages: Array<{ channel: string; message: string }>): Promise<void>;
  /** Queues a wake-up job for the allocation worker; rejects if Redis is unreachable. */
  wakeAllocator(jobId: string): Promise<void>;
}

export interface RelayOptions {
  databaseUrl: string;
  redisPrefix: string;
  pollMs: number;
  batchSize?: number;
  logger?: Logger;
  jobIdFor: (lastOutboxId: string) => string;
  /** Told how many messages each committed delivery batch marked delivered (metrics). */
  onDelivered?: (messages: number) => void;
  /** Told about each failed delivery round (metrics); the relay retries by itself. */
  onFailure?: (error: unknown) => void;
  /** Runs in the transaction that marks these `order-event` messages delivered (webhooks owe them to endpoints). */
  onOrderEvents?: (em: EntityManager, outboxMessageIds: string[]) => Promise<unknown>;
}

/**
 * Delivers outbox messages after their transaction committed: events to Redis pub/sub, allocation wake-ups to
 * BullMQ. Woken at once by Postgres NOTIFY, and by a poll as a fallback. A message is marked delivered in the
 * same transaction that claimed it (FOR UPDATE SKIP LOCKED, so several relays can run), after Redis accepted it:
 * if Redis is down nothing is marked and delivery resumes when it is back. At least once, in id order per relay.
 */
export class OutboxRelay {
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastPurge = 0;
  /** While Redis is down every round fails: the first failure and a summary now and then, not a line per round. */
  private readonly outage: OutageLog | null;

  constructor(
    private readonly orm: MikroORM,
    private readonly targets: RelayTargets,
    private readonly options: RelayOptions,
  ) {
    this.outage = options.logger ? createOutageLog(options.logger, 'outbox delivery', { retry: 'automatic' }) : null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** Asks for a delivery round; rounds never overlap within one relay. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverAll()
      .then(() => this.outage?.success())
      .catch((error) => {
        this.outage?.failure(error);
        this.options.onFailure?.(error);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Delivers until nothing is waiting. Returns how many messages went out. */
  async deliverAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const delivered = await this.deliverBatch();
      if (delivered > 0) this.options.onDelivered?.(delivered);
      total += delivered;
      if (delivered < (this.options.batchSize ?? 500)) break;
    }
    await this.purgeDelivered();
    return total;
  }

  private async deliverBatch(): Promise<number> {
    const names = topics(this.options.redisPrefix);
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<Array<OutboxMessageInput & { id: string }>>(
        `select id::text as id, kind, payload from outbox_message where delivered_at is null
         order by id limit ? for update skip locked`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      const publishes: Array<{ channel: string; message: string }> = [];
      const orderEvents: string[] = [];
      let lastAllocate: string | null = null;
      for (const row of rows) {
        if (row.kind === 'order-event') {
          const event = row.payload;
          orderEvents.push(row.id);
          const message = JSON.stringify(event);
          publishes.push({ channel: names.orderEvents, message }, { channel: `${names.orderUpdated}:${event.orderId}`, message });
        } else if (row.kind === 'stock-changed') {
          const change = row.payload;
          publishes.push({ channel: `${names.stockChanged}:${change.sku}`, message: JSON.stringify(change) });
        } else if (row.kind === 'allocate') {
          lastAllocate = row.id;
        }
      }
      if (orderEvents.length > 0) await this.options.onOrderEvents?.(em as EntityManager, orderEvents);
      if (publishes.length > 0) await this.targets.publish(publishes);
      if (lastAllocate) await this.targets.wakeAllocator(this.options.jobIdFor(lastAllocate));
      await em.execute(`update outbox_message set delivered_at = now() where id = any(?::bigint[])`, [sqlArray(rows.map((r) => r.id))]);
      return rows.length;
    });
  }

  private async purgeDelivered(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.orm.em.fork().execute(`delete from outbox_message where delivered_at < now() - interval '1 hour'`);
  }

  /** Until the listener is back (PostgreSQL may stay down for a while), the poll keeps delivering. */
  private relisten(): void {
    setTimeout(() => {
      if (this.stopped || this.listener) return;
      this.listen().catch(() => this.relisten());
    }, this.options.pollMs);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.kick());
    client.on('error', (error) => {
      if (this.listener !== client) return; // a failed (re)connect: its caller retries
      this.options.logger?.warn('outbox listener lost its connection; polling until it is back', { error: String(error) });
      this.listener = null;
      this.relisten();
    });
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
  }
}
