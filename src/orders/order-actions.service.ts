import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { MAX_ALLOCATION_ATTEMPTS } from '../allocation/allocator';
import { requestAllocation, writeOutbox } from '../outbox/outbox';
import { badInput, conflict, forbidden, notFound } from '../shared/errors';
import { cancelUnits, finishCancellation } from './cancel-units';
import { OrderChange, planOrderChange, validateOrderChange, validNote } from './order-changes';
import { recordOrderEvents } from './order-events';
import { LockedOrder, lockOrder, syncOrderStatus } from './order-status-sync';
import { requireVersion } from './order-version';
import { isSerialId, isUuid } from '../shared/input-checks';
import { OrderAction, ORDER_STAGE, requireTransition } from './order-lifecycle';
import { FulfilmentPolicy, OrderEventType, OrderStatus } from './order.enums';
import { releaseOrderReservations } from './release-order-reservations';
import { sqlArray } from '../db/sql';

/** Who acts: customer-service staff, or the customer who owns the order (cancelling only). */
export interface Actor {
  /** Shown on the timeline ("by service:alice"). */
  name: string;
  /** Set for a customer: may cancel its own order while nothing has shipped, nothing else. */
  customerId?: string;
}

/** An allocation_request row as setAsideRequests and retryAllocationRequest select it. */
interface AllocationRequestRow {
  id: string;
  order_id: string | null;
  sku: string | null;
  cause: string;
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
}

/** `change` as one command: the order, the version the agent saw, and what changes. */
export interface UpdateOrderCommand extends OrderChange {
  orderId: string;
  expectedVersion: number;
}

export interface SetAsideRequest {
  id: string;
  orderId: string | null;
  sku: string | null;
  cause: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/**
 * Customer-service actions on one order. Each runs in one transaction: lock the order (orders before stock rows, as
 * everywhere), compare `expectedVersion` (a stale one is a CONFLICT that changes nothing), change it, write its
 * timeline event and owe the allocator a re-plan (`allocation_request`), and raise the version by exactly one.
 */
export class OrderActionService {
  constructor(private readonly orm: MikroORM) {}

  async change(orderId: string, expectedVersion: number, change: OrderChange, actor: Actor): Promise<void> {
    validateOrderChange(change);
    await this.act(orderId, expectedVersion, actor, async (em, order) => {
      requireTransition(order, OrderAction.CHANGE);
      const [row] = await em.execute(`select priority, flags, fulfilment_policy, ship_to_region, max_warehouses from sales_order where id = ?`, [
        order.id,
      ]);
      const current = {
        priority: row.priority,
        flags: row.flags ?? [],
        fulfilmentPolicy: row.fulfilment_policy,
        shipToRegion: row.ship_to_region,
        maxWarehouses: row.max_warehouses,
      };
      const planned = planOrderChange(current, change);
      if (planned.events.length === 0) return false;
      if (planned.terms.shipToRegion !== current.shipToRegion) await requireDeliverableRegion(em, planned.terms.shipToRegion);
      const { terms } = planned;
      await em.execute(
        `update sales_order set priority = ?, flags = ?::text[], fulfilment_policy = ?, ship_to_region = ?, max_warehouses = ? where id = ?`,
        [terms.priority, sqlArray(terms.flags), terms.fulfilmentPolicy, terms.shipToRegion, terms.maxWarehouses, order.id],
      );
      if (planned.releaseReservations) await releaseOrderReservations(em, order.id);
      const status = await this.settle(em, { ...order, fulfilmentPolicy: terms.fulfilmentPolicy });
      await recordOrderEvents(
        em,
        planned.events.map((e) => ({
          orderId: order.id,
          customerId: order.customerId,
          type: e.type,
          status,
          message: `${e.message} by ${actor.name}`,
        })),
      );
      // Its SKUs too: a new priority or region changes who is served first, so the competing backorders are planned with it.
      await requestAllocation(
        em,
        [{ orderId: order.id }, ...(await skusOf(em, order.id)).map((sku) => ({ sku }))],
        'order changed by customer service',
      );
      return true;
    });
  }

  /** "Ship what is there now": an ON_HOLD order ships partially from here on (its policy becomes SHIP_PARTIAL). */
  async releaseHold(orderId: string, expectedVersion: number, actor: Actor): Promise<void> {
    await this.act(orderId, expectedVersion, actor, async (em, order) => {
      requireTransition(order, OrderAction.RELEASE_HOLD);
      await em.execute(`update sales_order set fulfilment_policy = ? where id = ?`, [FulfilmentPolicy.SHIP_PARTIAL, order.id]);
      const status = await syncOrderStatus(em, { ...order, fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL });
      await recordOrderEvents(em, [
        {
          orderId: order.id,
          customerId: order.customerId,
          type: OrderEventType.RELEASED,
          status,
          message: `Hold released by ${actor.name}: what is reserved ships now, the rest follows (policy SHIP_PARTIAL)`,
        },
      ]);
      await requestAllocation(em, [{ orderId: order.id }], 'hold released');
      return true;
    });
  }

  /**
   * Cancels every unit not yet shipped; what was reserved goes back to stock and is offered to other backorders at
   * once. Units on a transfer or drop-shipped are on their way: the order is then refused as a whole (CONFLICT).
   */
  async cancelOrder(orderId: string, expectedVersion: number, reason: string | null, actor: Actor): Promise<void> {
    const why = reason == null ? null : validNote(reason);
    await this.act(orderId, expectedVersion, actor, async (em, order) => {
      if (actor.customerId !== undefined) {
        const [{ shipped }] = await em.execute(`select coalesce(sum(shipped_quantity), 0)::int as shipped from order_line where order_id = ?`, [
          order.id,
        ]);
        if (shipped > 0) throw forbidden('Part of this order has shipped: customer service can cancel the rest');
      }
      requireTransition(order, OrderAction.CANCEL);
      const open: Array<{ sku: string; open: number }> = await em.execute(
        `select sku, sum(quantity - shipped_quantity - cancelled_quantity)::int as open from order_line where order_id = ?
         group by sku having sum(quantity - shipped_quantity - cancelled_quantity) > 0 order by sku`,
        [order.id],
      );
      const done = await cancelUnits(
        em,
        order,
        open.map((l) => ({ sku: l.sku, quantity: l.open })),
      );
      const units = done.reduce((s, d) => s + d.cancelled, 0);
      const what = ORDER_STAGE[order.status] === 'quote' ? 'Quote declined' : 'Order cancelled';
      await finishCancellation(em, order, done, `${what} by ${actor.name}: ${units} unit${units === 1 ? '' : 's'}${why ? ` (${why})` : ''}`);
      return true;
    });
  }

  async addNote(orderId: string, expectedVersion: number, text: string, actor: Actor): Promise<void> {
    const note = validNote(text);
    await this.act(orderId, expectedVersion, actor, async (em, order) => {
      await recordOrderEvents(em, [
        {
          orderId: order.id,
          customerId: order.customerId,
          type: OrderEventType.NOTE_ADDED,
          status: order.status,
          message: `${actor.name}: ${note}`,
        },
      ]);
      return true;
    });
  }

  /** Plans the order again now, and every backorder of its SKUs with it (so it takes nobody's place in the queue). */
  async reallocate(orderId: string, expectedVersion: number, actor: Actor): Promise<void> {
    await this.act(orderId, expectedVersion, actor, async (em, order) => {
      requireTransition(order, OrderAction.REALLOCATE);
      await recordOrderEvents(em, [
        {
          orderId: order.id,
          customerId: order.customerId,
          type: OrderEventType.REALLOCATION_REQUESTED,
          status: order.status,
          message: `Re-allocation requested by ${actor.name}`,
        },
      ]);
      await requestAllocation(em, [{ orderId: order.id }, ...(await skusOf(em, order.id)).map((sku) => ({ sku }))], 're-allocation requested');
      return true;
    });
  }

  /** Allocation requests set aside after failing MAX_ALLOCATION_ATTEMPTS times, oldest first. */
  async setAsideRequests(em: EntityManager): Promise<SetAsideRequest[]> {
    const rows = await em.execute<AllocationRequestRow[]>(
      `select id::text as id, order_id, sku, cause, attempts, last_error, created_at from allocation_request where attempts >= ? order by id limit 500`,
      [MAX_ALLOCATION_ATTEMPTS],
    );
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      sku: r.sku,
      cause: r.cause,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: new Date(r.created_at),
    }));
  }

  /**
   * Gives a set-aside request its attempts back, so the allocator takes it again (one guarded update: of two people
   * retrying at once, one wins and the other hears CONFLICT). Its order, if any, gets an event.
   */
  async retryAllocationRequest(requestId: string, actor: Actor): Promise<SetAsideRequest> {
    if (!isSerialId(requestId)) throw badInput('allocationRequestId must be an allocation request id', { field: 'allocationRequestId' });
    return this.orm.em.fork().transactional(async (em) => {
      const [request] = await em.execute<AllocationRequestRow[]>(
        `select id::text as id, order_id, sku, cause, attempts, last_error, created_at from allocation_request where id = ?::bigint`,
        [requestId],
      );
      if (!request) throw notFound(`No allocation request ${requestId}`);
      // The allocator never touches a set-aside row, so taking it before the order's lock cannot deadlock with it.
      const cleared = await em.execute<Array<{ id: string }>>(
        `update allocation_request set attempts = 0, last_error = null where id = ?::bigint and attempts >= ? returning id`,
        [requestId, MAX_ALLOCATION_ATTEMPTS],
      );
      if (cleared.length === 0) throw conflict(`Allocation request ${requestId} is not set aside (it has ${request.attempts} failed attempts)`);
      const order = request.order_id ? await lockOrder(em, request.order_id) : null;
      await writeOutbox(em, [{ kind: 'allocate', payload: { cause: 'set-aside request retried' } }]);
      if (order) {
        await em.execute(`update sales_order set version = version + 1 where id = ?`, [order.id]);
        await recordOrderEvents(em, [
          {
            orderId: order.id,
            customerId: order.customerId,
            type: OrderEventType.REALLOCATION_REQUESTED,
            status: order.status,
            message: `Allocation retried by ${actor.name} after ${request.attempts} failed attempts (last error: ${String(request.last_error ?? 'none').slice(0, 200)})`,
          },
        ]);
      }
      return {
        id: request.id,
        orderId: request.order_id,
        sku: request.sku,
        cause: request.cause,
        attempts: 0,
        lastError: null,
        createdAt: new Date(request.created_at),
      };
    });
  }

  /** Status from the lines, once the allocator has seen the order (a PENDING order keeps waiting for it). */
  private async settle(em: EntityManager, order: LockedOrder): Promise<OrderStatus> {
    return order.status === OrderStatus.PENDING ? order.status : syncOrderStatus(em, order);
  }

  /** The frame of every action; `change` answers false when there was nothing to change (no event, same version). */
  private async act(
    orderId: string,
    expectedVersion: number,
    actor: Actor,
    change: (em: EntityManager, order: LockedOrder) => Promise<boolean>,
  ): Promise<void> {
    if (!isUuid(orderId)) throw notFound(`No order ${orderId}`);
    await this.orm.em.fork().transactional(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order) throw notFound(`No order ${orderId}`);
      if (actor.customerId !== undefined && order.customerId !== actor.customerId) throw forbidden('This order belongs to another customer');
      requireVersion(order, expectedVersion);
      if (await change(em, order)) {
        await em.execute(`update sales_order set version = ?, updated_at = now() where id = ?`, [order.version + 1, order.id]);
      }
    });
  }
}

async function skusOf(em: EntityManager, orderId: string): Promise<string[]> {
  const rows: Array<{ sku: string }> = await em.execute(`select distinct sku from order_line where order_id = ? order by sku`, [orderId]);
  return rows.map((r) => r.sku);
}

/** A region is deliverable when an active warehouse has a shipping lane to it. */
async function requireDeliverableRegion(em: EntityManager, region: string): Promise<void> {
  const [lane] = await em.execute(`select 1 from shipping_lane l join warehouse w on w.id = l.warehouse_id and w.active where l.region = ? limit 1`, [
    region,
  ]);
  if (!lane) throw badInput(`No warehouse ships to ${region}`, { field: 'shipToRegion' });
}
