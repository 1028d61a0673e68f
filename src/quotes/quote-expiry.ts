import type { MikroORM } from '@mikro-orm/postgresql';
import { recordOrderEvents } from '../orders/order-events';
import { sqlStatusList, sqlArray } from '../db/sql';
import { OPEN_QUOTE_STATUSES } from '../orders/order-lifecycle';
import { OrderEventType, OrderStatus } from '../orders/order.enums';
import { isoDay } from '../shared/dates';

const BATCH = 500;

/**
 * Expires every open quote whose validUntil has passed (the worker runs it on its sweep): status QUOTE_EXPIRED, one
 * version up, a QUOTE_EXPIRED event. Confirmation checks validUntil itself, so a late sweep never lets a lapsed quote
 * be confirmed; the sweep is what puts the expiry on the timeline and the subscriptions. A quote locked by someone
 * acting on it is skipped and taken by the next sweep if it is still open then. Returns how many it expired.
 * `now` defaults to the database's clock, the one confirmation checks against.
 */
export async function expireLapsedQuotes(orm: MikroORM, now: Date | null = null): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    const due: Array<{ id: string; customer_id: string; valid_until: Date }> = await em.execute(
      `select o.id, o.customer_id, q.valid_until from sales_order o join quote q on q.order_id = o.id
       where o.status in ${sqlStatusList(OPEN_QUOTE_STATUSES)} and q.valid_until <= coalesce(?::timestamptz, now())
       order by o.id limit ${BATCH} for update of o skip locked`,
      [now?.toISOString() ?? null],
    );
    if (due.length === 0) return 0;
    const ids = sqlArray(due.map((d) => d.id));
    await em.execute(`update sales_order set status = ?, version = version + 1, updated_at = now() where id = any(?::uuid[])`, [
      OrderStatus.QUOTE_EXPIRED,
      ids,
    ]);
    await em.execute(`update quote set expired_at = now() where order_id = any(?::uuid[])`, [ids]);
    await recordOrderEvents(
      em,
      due.map((d) => ({
        orderId: d.id,
        customerId: d.customer_id,
        type: OrderEventType.QUOTE_EXPIRED,
        status: OrderStatus.QUOTE_EXPIRED,
        message: `Quote expired: it was valid until ${isoDay(new Date(d.valid_until))}`,
      })),
    );
    return due.length;
  });
}
