import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createHash, randomUUID } from 'node:crypto';
import type { AllocationSettingsService } from '../allocation/allocation-settings.service';
import { sqlArray } from '../db/sql';
import type { Actor } from '../orders/order-actions.service';
import { recordOrderEvents } from '../orders/order-events';
import { OrderAction, requireTransition } from '../orders/order-lifecycle';
import { orderRequestHash } from '../orders/order-request-hash';
import { LockedOrder, lockOrder } from '../orders/order-status-sync';
import { requireVersion } from '../orders/order-version';
import { OrderEventType, OrderPriority, OrderStatus } from '../orders/order.enums';
import { PlaceOrderCommand, validatePlaceOrder } from '../orders/place-order';
import { validUnitPrice } from '../orders/unit-price';
import { requestAllocation } from '../outbox/outbox';
import { isoDay } from '../shared/dates';
import { formatOrderNumber } from '../shared/document-numbers';
import { badInput, conflict, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import { quoteTerms } from './quote-terms';

export interface CreateQuoteCommand extends PlaceOrderCommand {
  validUntil: Date;
}

export interface QuoteResult {
  orderId: string;
  /** False when nothing new was written: the idempotency key named this quote, or the quote was confirmed before. */
  changed: boolean;
}

/** The most a quote may be offered for. */
export const MAX_QUOTE_DAYS = 366;
const DAY_MS = 86_400_000;

const units = (lines: Array<{ quantity: number }>) => lines.reduce((s, l) => s + l.quantity, 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Quotes: orders that reserve nothing and owe the allocator nothing until confirmed. Confirming one makes it an
 * ordinary order, owed its allocation exactly as a placed order is (an allocation request, PLACED on its timeline).
 * Every action locks the order row first, as every order action does, so confirmations, sends, expiries and the
 * expiry sweep of one quote are serialised and each sees what the one before committed.
 */
export class QuoteService {
  constructor(
    private readonly orm: MikroORM,
    private readonly settings: AllocationSettingsService,
  ) {}

  /** Idempotent on the idempotency key like placeOrder: the same key and body return the first quote. */
  async create(command: CreateQuoteCommand, actor: Actor, now = new Date()): Promise<QuoteResult> {
    validatePlaceOrder(command);
    validateValidUntil(command.validUntil, now);
    const requestHash = quoteRequestHash(command);
    return this.orm.em.fork().transactional(async (em) => {
      const previous = await previousByKey(em, command, requestHash);
      if (previous) return previous;
      const skus = [...new Set(command.lines.map((l) => l.sku))];
      const terms = await quoteTerms(em, command, skus, (await this.settings.get(em)).defaultFulfilmentPolicy);
      if (terms.unknownSkus.length) throw badInput(`Unknown SKU: ${terms.unknownSkus.join(', ')}`, { field: 'lines', skus: terms.unknownSkus });
      if (!terms.served) throw badInput(`No warehouse ships to ${command.shipToRegion}`, { field: 'shipToRegion', region: command.shipToRegion });
      await em.execute(`insert into customer (id) values (?) on conflict (id) do nothing`, [command.customerId]);
      const [inserted] = await em.execute<Array<{ id: string }>>(
        `insert into sales_order (id, status, customer_id, channel, currency, ship_to_region, fulfilment_policy, priority, flags,
                                  max_warehouses, idempotency_key, request_hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::int, ?, ?)
         on conflict (idempotency_key) do nothing returning id`,
        [
          randomUUID(),
          OrderStatus.QUOTE,
          command.customerId,
          command.channel,
          command.currency,
          command.shipToRegion,
          terms.fulfilmentPolicy,
          command.priority ?? OrderPriority.NORMAL,
          sqlArray(new Set(command.flags ?? [])),
          command.maxWarehouses ?? null,
          command.idempotencyKey,
          requestHash,
        ],
      );
      // A concurrent request with the same key committed first (the insert waited for it): answer as a retry.
      if (!inserted) return (await previousByKey(em, command, requestHash))!;
      const orderId = inserted.id;
      // Nothing is reserved: every unit counts as not yet allocated, as on a PENDING order, so the line adds up.
      await em.execute(
        `insert into order_line (id, order_id, line_no, sku, quantity, unit_price, backordered_quantity)
         select gen_random_uuid(), ?, r.line_no, r.sku, r.quantity, r.unit_price, r.quantity
         from json_to_recordset(?::json) as r(line_no int, sku text, quantity int, unit_price numeric)`,
        [
          orderId,
          JSON.stringify(
            command.lines.map((l, i) => ({
              line_no: i + 1,
              sku: l.sku,
              quantity: l.quantity,
              unit_price: validUnitPrice(l.unitPrice, command.currency, `lines[${i}].unitPrice`),
            })),
          ),
        ],
      );
      await em.execute(`insert into quote (order_id, valid_until) values (?, ?)`, [orderId, command.validUntil.toISOString()]);
      await recordOrderEvents(em, [
        {
          orderId,
          customerId: command.customerId,
          type: OrderEventType.QUOTE_CREATED,
          status: OrderStatus.QUOTE,
          message:
            `Quote by ${actor.name} via ${command.channel}: ${plural(command.lines.length, 'line')}, ${plural(units(command.lines), 'unit')}, ` +
            `valid until ${isoDay(command.validUntil)}; nothing reserved`,
        },
      ]);
      return { orderId, changed: true };
    });
  }

  /** Records that the quote went to the customer (again, if it was sent before). */
  async send(orderId: string, expectedVersion: number, actor: Actor): Promise<void> {
    await this.act(orderId, async (em, order, quote) => {
      requireVersion(order, expectedVersion);
      requireTransition(order, OrderAction.SEND_QUOTE);
      requireNotLapsed(order, quote, 'sent');
      await em.execute(`update quote set sent_at = now() where order_id = ?`, [order.id]);
      await setStatus(
        em,
        order,
        OrderStatus.QUOTE_SENT,
        OrderEventType.QUOTE_SENT,
        `Quote sent by ${actor.name}, valid until ${isoDay(quote!.validUntil)}`,
      );
    });
  }

  /**
   * Turns the quote into an ordinary order, owed its allocation (an allocation request and PLACED, as placeOrder
   * writes them). It joins the queue when confirmed (placedAt becomes now), not when it was quoted. Idempotent:
   * confirming a confirmed quote returns the same order and writes nothing, whatever version is sent.
   */
  async confirm(orderId: string, expectedVersion: number, actor: Actor): Promise<QuoteResult> {
    let changed = false;
    await this.act(orderId, async (em, order, quote) => {
      if (quote?.confirmedAt) return;
      requireVersion(order, expectedVersion);
      requireTransition(order, OrderAction.CONFIRM_QUOTE);
      requireNotLapsed(order, quote, 'confirmed');
      await requireOrderable(em, order);
      const lines: Array<{ quantity: number }> = await em.execute(`select quantity from order_line where order_id = ?`, [order.id]);
      const [{ channel }] = await em.execute(`select channel from sales_order where id = ?`, [order.id]);
      await em.execute(`update quote set confirmed_at = now() where order_id = ?`, [order.id]);
      await em.execute(`update sales_order set placed_at = now() where id = ?`, [order.id]);
      await setStatus(em, order, OrderStatus.PENDING, OrderEventType.QUOTE_CONFIRMED, `Quote confirmed by ${actor.name}: it is an order now`, [
        { type: OrderEventType.PLACED, message: `Placed via ${channel}: ${plural(lines.length, 'line')}, ${plural(units(lines), 'unit')}` },
      ]);
      await requestAllocation(em, [{ orderId: order.id }], 'order placed');
      changed = true;
    });
    return { orderId, changed };
  }

  /** Withdraws the offer now, before its validUntil. */
  async expire(orderId: string, expectedVersion: number, actor: Actor): Promise<void> {
    await this.act(orderId, async (em, order, quote) => {
      requireVersion(order, expectedVersion);
      requireTransition(order, OrderAction.EXPIRE_QUOTE);
      await em.execute(`update quote set expired_at = now() where order_id = ?`, [order.id]);
      await setStatus(
        em,
        order,
        OrderStatus.QUOTE_EXPIRED,
        OrderEventType.QUOTE_EXPIRED,
        `Quote withdrawn by ${actor.name} (it was valid until ${isoDay(quote!.validUntil)})`,
      );
    });
  }

  private async act(orderId: string, change: (em: EntityManager, order: LockedOrder, quote: QuoteRow | null) => Promise<void>): Promise<void> {
    if (!isUuid(orderId)) throw notFound(`No order ${orderId}`);
    await this.orm.em.fork().transactional(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order) throw notFound(`No order ${orderId}`);
      await change(em, order, await quoteOf(em, order.id));
    });
  }
}

interface QuoteRow {
  validUntil: Date;
  confirmedAt: Date | null;
  /** validUntil has passed, by the database's clock (the one the expiry sweep uses). */
  lapsed: boolean;
}

async function quoteOf(em: EntityManager, orderId: string): Promise<QuoteRow | null> {
  const [row] = await em.execute(`select valid_until, confirmed_at, valid_until <= now() as lapsed from quote where order_id = ?`, [orderId]);
  return row
    ? { validUntil: new Date(row.valid_until), confirmedAt: row.confirmed_at ? new Date(row.confirmed_at) : null, lapsed: row.lapsed }
    : null;
}

function requireNotLapsed(order: LockedOrder, quote: QuoteRow | null, what: string): void {
  if (quote?.lapsed) {
    throw conflict(`Quote ${formatOrderNumber(order.number)} was valid until ${quote.validUntil.toISOString()} and can no longer be ${what}`, {
      validUntil: quote.validUntil.toISOString(),
      currentVersion: order.version,
    });
  }
}

/** What placeOrder checks at placing, checked again at confirmation: stock may have gone, a warehouse closed. */
async function requireOrderable(em: EntityManager, order: LockedOrder): Promise<void> {
  const [row] = await em.execute(
    `with wanted as (select sku, sum(quantity) as quantity from order_line where order_id = ? group by sku)
     select exists (select 1 from shipping_lane l join warehouse h on h.id = l.warehouse_id and h.active
                    where l.region = (select ship_to_region from sales_order where id = ?)) as served,
            (select jsonb_agg(jsonb_build_object('sku', d.sku, 'available', d.available) order by d.sku) from (
               select w.sku, w.quantity, coalesce((select sum(greatest(s.on_hand_quantity - s.reserved_quantity - s.safety_stock, 0))
                                      from stock_level s join warehouse h on h.id = s.warehouse_id and h.active where s.sku = w.sku), 0)::int as available
               from wanted w join product p on p.sku = w.sku and p.backorder_policy = 'DENY') d
             where d.available < d.quantity) as denied`,
    [order.id, order.id],
  );
  if (!row.served)
    throw conflict(`No warehouse ships to the region of ${formatOrderNumber(order.number)} any more`, { currentVersion: order.version });
  const refused = row.denied?.[0];
  if (refused) {
    throw conflict(`Only ${refused.available} of ${refused.sku} available and it may not be backordered`, {
      sku: refused.sku,
      available: refused.available,
      currentVersion: order.version,
    });
  }
}

/** The new status with its event (and any that follow it), one version up. */
async function setStatus(
  em: EntityManager,
  order: LockedOrder,
  status: OrderStatus,
  type: OrderEventType,
  message: string,
  more: Array<{ type: OrderEventType; message: string }> = [],
): Promise<void> {
  await em.execute(`update sales_order set status = ?, version = version + 1, updated_at = now() where id = ?`, [status, order.id]);
  await recordOrderEvents(
    em,
    [{ type, message }, ...more].map((e) => ({ orderId: order.id, customerId: order.customerId, status, ...e })),
  );
}

function validateValidUntil(validUntil: Date, now: Date): void {
  if (!(validUntil instanceof Date) || Number.isNaN(validUntil.getTime())) throw badInput('validUntil must be a date-time', { field: 'validUntil' });
  if (validUntil.getTime() <= now.getTime()) throw badInput('validUntil must be in the future', { field: 'validUntil' });
  if (validUntil.getTime() > now.getTime() + MAX_QUOTE_DAYS * DAY_MS) {
    throw badInput(`validUntil may be at most ${MAX_QUOTE_DAYS} days ahead`, { field: 'validUntil' });
  }
}

/** Never equal to a placeOrder body's hash: the same key cannot answer a quote to placeOrder, nor an order to createQuote. */
const quoteRequestHash = (command: CreateQuoteCommand): string =>
  createHash('sha256')
    .update(`quote\u0000${orderRequestHash(command)}\u0000${command.validUntil.toISOString()}`)
    .digest('hex');

/** The order an earlier request with this key wrote, if the body matches; a CONFLICT naming the key if it does not. */
async function previousByKey(em: EntityManager, command: CreateQuoteCommand, requestHash: string): Promise<QuoteResult | null> {
  const [previous] = await em.execute(`select id, customer_id, request_hash, number::text as number from sales_order where idempotency_key = ?`, [
    command.idempotencyKey,
  ]);
  if (!previous) return null;
  if (previous.customer_id !== command.customerId) {
    throw conflict('This idempotencyKey was already used for another customer’s order', { field: 'idempotencyKey' });
  }
  if (previous.request_hash !== requestHash) {
    throw conflict(
      `idempotencyKey ${JSON.stringify(command.idempotencyKey)} was already used for order ${formatOrderNumber(previous.number)} ` +
        'with a different request: send the same body to retry, or use a new key',
      { field: 'idempotencyKey', idempotencyKey: command.idempotencyKey, orderId: previous.id },
    );
  }
  return { orderId: previous.id, changed: false };
}
