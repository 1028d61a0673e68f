import type { MikroORM } from '@mikro-orm/postgresql';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox';

/**
 * Wakes the outbox relay after messages were committed without a NOTIFY of their own. Postgres serialises the
 * commits of every transaction that NOTIFYs, so the hottest writer (placeOrder) leaves it out and this sends one
 * NOTIFY for all the orders of the last few milliseconds instead. Best effort: the relay's poll catches up if a
 * wake-up is lost.
 */
export class OutboxWaker {
  private scheduled = false;

  constructor(private readonly orm: MikroORM, private readonly coalesceMs = 2) {}

  wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.orm.em.fork().execute(`select pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '')`).catch(() => undefined);
    }, this.coalesceMs).unref();
  }
}
