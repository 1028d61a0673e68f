import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AllocationSettingsService } from '../allocation/allocation-settings.service';
import { releaseReservedStock } from '../inventory/stock-movements';
import { announceStockChanges, requestAllocation } from '../outbox/outbox';
import { OutboxWaker } from '../outbox/outbox-waker';
import { takeUnitsOffShipment } from '../shipments/shipment-lines';
import { parseDocumentNumber, formatOrderNumber } from '../shared/document-numbers';
import { badInput, conflict, notFound } from '../shared/errors';
import { Page, PageRequest, pageWindow, toPage } from '../shared/pagination';
import { pageOfEntities } from '../db/entity-page';
import { Order } from './order.entity';
import { precedenceRankSql } from './order-precedence';
import { recordOrderEvents } from './order-events';
import { lockOrder, syncOrderStatus } from './order-status-sync';
import { FulfilmentPolicy, OrderEventType, OrderPriority, OrderStatus } from './order.enums';
import { placeOrder, PlaceOrderCommand, PlacedOrder } from './place-order';

export interface OrderFilter {
  customerId?: string | null;
  status?: OrderStatus | null;
  channel?: string | null;
  number?: string | null;
  sku?: string | null;
  placedFrom?: Date | null;
  placedTo?: Date | null;
}

export interface BackorderFilter {
  sku?: string | null;
  customerId?: string | null;
  warehouseCode?: string | null;
  priority?: OrderPriority | null;
}

export interface BackorderView {
  id: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  priority: OrderPriority;
  placedAt: Date;
  sku: string;
  quantity: number;
  backorderedQuantity: number;
  eta: Date | null;
}

const SETTINGS_TTL_MS = 1_000;

/** Open backorders in the order they will be served. */
const SERVED_FIRST_SQL = `${precedenceRankSql('o')} desc, o.placed_at, o.id`;

/** Orders: placing, reading, and the customer-service actions on them. */
export class OrderService {
  /** The default policy, read at most once a second rather than once per order. */
  private defaultPolicy: { value: FulfilmentPolicy; readAt: number } | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly settings: AllocationSettingsService,
    private readonly outboxWaker: OutboxWaker,
  ) {}

  async place(command: PlaceOrderCommand): Promise<PlacedOrder> {
    if (!this.defaultPolicy || Date.now() - this.defaultPolicy.readAt > SETTINGS_TTL_MS) {
      this.defaultPolicy = { value: (await this.settings.get()).defaultFulfilmentPolicy, readAt: Date.now() };
    }
    const placed = await placeOrder(this.orm.em.fork(), command, this.defaultPolicy.value);
    if (placed.created) this.outboxWaker.wake();
    return placed;
  }

  async get(em: EntityManager, id: string): Promise<Order | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return em.findOne(Order, { id });
  }

  async list(em: EntityManager, filter: OrderFilter = {}, page: PageRequest = {}): Promise<Page<Order>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.customerId) (where.push('t.customer_id = ?'), params.push(filter.customerId));
    if (filter.status) (where.push('t.status = ?'), params.push(filter.status));
    if (filter.channel) (where.push('t.channel = ?'), params.push(filter.channel));
    if (filter.number) {
      const number = parseDocumentNumber('order', filter.number);
      if (!number) throw badInput('number must look like SO-1042', { field: 'number' });
      where.push('t.number = ?');
      params.push(number);
    }
    if (filter.sku) (where.push('exists (select 1 from order_line l where l.order_id = t.id and l.sku = ?)'), params.push(filter.sku));
    if (filter.placedFrom) (where.push('t.placed_at >= ?'), params.push(filter.placedFrom.toISOString()));
    if (filter.placedTo) (where.push('t.placed_at < ?'), params.push(filter.placedTo.toISOString()));
    return pageOfEntities(em, Order, 'sales_order', { where, params }, 't.placed_at desc, t.number desc', page);
  }

  /** Open backorder lines, in the order they will be served: priority, then age. */
  async backorders(em: EntityManager, filter: BackorderFilter = {}, page: PageRequest = {}): Promise<Page<BackorderView>> {
    const window = pageWindow(page);
    const where: string[] = [`l.backordered_quantity > 0`, `o.status not in ('CANCELLED', 'SHIPPED')`];
    const params: unknown[] = [];
    if (filter.sku) (where.push('l.sku = ?'), params.push(filter.sku));
    if (filter.customerId) (where.push('o.customer_id = ?'), params.push(filter.customerId));
    if (filter.priority) (where.push('o.priority = ?'), params.push(filter.priority));
    if (filter.warehouseCode) {
      where.push(`exists (select 1 from allocation a where a.order_line_id = l.id and a.status = 'ACTIVE' and a.kind = 'WAIT' and a.warehouse_code = ?)`);
      params.push(filter.warehouseCode);
    }
    const from = `from order_line l join sales_order o on o.id = l.order_id where ${where.join(' and ')}`;
    const [{ count }] = await em.execute(`select count(*)::int as count ${from}`, params);
    const rows: any[] = await em.execute(
      `select l.id, o.id as order_id, o.number::text as number, o.customer_id, o.priority, o.placed_at, l.sku, l.quantity, l.backordered_quantity, l.eta
       ${from} order by ${SERVED_FIRST_SQL}, l.line_no offset ? limit ?`,
      [...params, window.offset, window.limit + 1],
    );
    return toPage(
      rows.map((r) => ({
        id: r.id, orderId: r.order_id, orderNumber: formatOrderNumber(r.number), customerId: r.customer_id, priority: r.priority,
        placedAt: new Date(r.placed_at), sku: r.sku, quantity: r.quantity, backorderedQuantity: r.backordered_quantity,
        eta: r.eta ? new Date(r.eta) : null,
      })),
      window,
      count,
    );
  }

  /**
   * Cancels units of an order's lines for a SKU: waiting units first, then units reserved in a warehouse and not
   * yet shipped (the reservation is released for other orders). Transferred and drop-shipped units are already on
   * their way and cannot be cancelled here. Without `quantity`, everything that can be cancelled is.
   */
  async cancelLine(orderId: string, sku: string, quantity?: number | null): Promise<void> {
    if (quantity != null && (!Number.isInteger(quantity) || quantity < 1)) throw badInput('quantity must be a whole number of at least 1', { field: 'quantity' });
    await this.orm.em.fork().transactional(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order) throw notFound(`No order ${orderId}`);
      if (order.status === OrderStatus.CANCELLED || order.status === OrderStatus.SHIPPED) {
        throw conflict(`Order ${formatOrderNumber(order.number)} is ${order.status}`);
      }
      const covers: Array<{ id: string; order_line_id: string; kind: string; quantity: number; warehouse_code: string | null; shipment_id: string | null }> =
        await em.execute(
          `select a.id, a.order_line_id, a.kind, a.quantity, a.warehouse_code, a.shipment_id
           from allocation a join order_line l on l.id = a.order_line_id
           left join shipment s on s.id = a.shipment_id
           where l.order_id = ? and l.sku = ? and a.status = 'ACTIVE'
             and (a.kind = 'WAIT' or (a.kind = 'PULL' and s.status in ('PENDING', 'READY')))
           order by case a.kind when 'WAIT' then 0 else 1 end, a.created_at desc, a.id`,
          [order.id, sku],
        );
      // Backordered units include drop-shipped ones, which the supplier already ships: only the rest may be cancelled.
      const lines: Array<{ id: string; backordered_quantity: number }> = await em.execute(
        `select l.id, l.backordered_quantity - coalesce((select sum(a.quantity) from allocation a
                  where a.order_line_id = l.id and a.status = 'ACTIVE' and a.kind = 'DROP_SHIP'), 0)::int as backordered_quantity
         from order_line l where l.order_id = ? and l.sku = ?`,
        [order.id, sku],
      );
      if (lines.length === 0) throw badInput(`Order ${formatOrderNumber(order.number)} has no line for ${sku}`, { field: 'sku' });
      // Units planned but not yet allocated (the allocator has not seen the order) count as waiting.
      const waitingWithoutCover = lines.reduce((s, l) => s + l.backordered_quantity, 0) - covers.filter((c) => c.kind === 'WAIT').reduce((s, c) => s + c.quantity, 0);
      const cancellable = covers.reduce((s, c) => s + c.quantity, 0) + Math.max(0, waitingWithoutCover);
      const wanted = quantity ?? cancellable;
      if (wanted === 0 || wanted > cancellable) {
        throw conflict(`Only ${cancellable} of ${sku} can still be cancelled on ${formatOrderNumber(order.number)}`, { cancellable });
      }
      let left = wanted;
      const released: Array<{ sku: string; warehouseCode: string; quantity: number }> = [];
      const perLine = new Map<string, { backordered: number; allocated: number }>();
      const note = (lineId: string, field: 'backordered' | 'allocated', units: number) => {
        const entry = perLine.get(lineId) ?? { backordered: 0, allocated: 0 };
        entry[field] += units;
        perLine.set(lineId, entry);
      };
      for (const line of lines) {
        const uncovered = line.backordered_quantity - covers.filter((c) => c.kind === 'WAIT' && c.order_line_id === line.id).reduce((s, c) => s + c.quantity, 0);
        const take = Math.min(left, Math.max(0, uncovered));
        if (take > 0) (note(line.id, 'backordered', take), (left -= take));
      }
      for (const cover of covers) {
        if (left === 0) break;
        const take = Math.min(left, cover.quantity);
        left -= take;
        if (take === cover.quantity) await em.execute(`update allocation set status = 'RELEASED' where id = ?`, [cover.id]);
        else await em.execute(`update allocation set quantity = quantity - ? where id = ?`, [take, cover.id]);
        if (cover.kind === 'WAIT') {
          note(cover.order_line_id, 'backordered', take);
        } else {
          note(cover.order_line_id, 'allocated', take);
          released.push({ sku, warehouseCode: cover.warehouse_code!, quantity: take });
          await takeUnitsOffShipment(em, cover.shipment_id!, cover.order_line_id, take);
        }
      }
      await em.execute(
        `update order_line l set backordered_quantity = l.backordered_quantity - r.backordered, allocated_quantity = l.allocated_quantity - r.allocated,
                                 cancelled_quantity = l.cancelled_quantity + r.backordered + r.allocated
         from jsonb_to_recordset(?::jsonb) as r(id uuid, backordered int, allocated int) where l.id = r.id`,
        [JSON.stringify([...perLine].map(([id, v]) => ({ id, ...v })))],
      );
      await releaseReservedStock(em, released);
      await em.execute(
        `update shipment s set status = 'CANCELLED' where s.order_id = ? and s.status in ('PENDING', 'READY')
           and not exists (select 1 from shipment_line sl where sl.shipment_id = s.id)`,
        [order.id],
      );
      const status = await syncOrderStatus(em, order);
      await recordOrderEvents(em, [{
        orderId: order.id, customerId: order.customerId, type: OrderEventType.CANCELLED, status,
        message: `Cancelled ${wanted} × ${sku}${released.length > 0 ? '; the reserved units are free for other orders' : ''}`,
      }]);
      if (released.length > 0) {
        await announceStockChanges(em, released.map(({ sku: s, warehouseCode }) => ({ sku: s, warehouseCode })));
        await requestAllocation(em, [{ sku }], 'order line cancelled');
      }
    });
  }
}
