import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AllocationSettingsService } from '../allocation/allocation-settings.service';
import type { Pool } from 'pg';
import { parseDocumentNumber } from '../shared/document-numbers';
import { badInput, notFound } from '../shared/errors';
import type { Page, PageRequest } from '../shared/pagination';
import { backorderTotals, BackorderFilter, BackorderSkuTotal, BackorderView, listBackorders } from './backorder-list';
import { pageOfEntities } from '../db/entity-page';
import { Order } from './order.entity';
import { OrderRecord, orderRecordFromRow } from './order-record';
import { cancelUnits, finishCancellation } from './cancel-units';
import { lockOrder } from './order-status-sync';
import { OrderAction, requireTransition } from './order-lifecycle';
import { requireVersion } from './order-version';
import { FulfilmentPolicy, OrderStatus } from './order.enums';
import { PlaceOrderCommand, PlacedOrder, preparePlacement } from './place-order';
import { PlacementGroupOptions, PlacementGroups } from './placement-groups';
import { isUuid } from '../shared/input-checks';

export interface OrderFilter {
  customerId?: string | null;
  status?: OrderStatus | null;
  channel?: string | null;
  number?: string | null;
  sku?: string | null;
  placedFrom?: Date | null;
  placedTo?: Date | null;
}

export type { BackorderFilter, BackorderSkuTotal, BackorderView } from './backorder-list';

const SETTINGS_TTL_MS = 1_000;

/** Orders: placing, reading, and the customer-service actions on them. */
export class OrderService {
  /** The default policy, read at most once a second rather than once per order. */
  private defaultPolicy: { value: FulfilmentPolicy; readAt: number } | null = null;
  private readonly placement: PlacementGroups;

  constructor(
    private readonly orm: MikroORM,
    private readonly settings: AllocationSettingsService,
    /** The hot path's own pool (src/db/pg-pool.ts): placeOrder's statements are prepared on it. */
    pg: Pool,
    placement: PlacementGroupOptions,
  ) {
    this.placement = new PlacementGroups(pg, () => this.currentDefaultPolicy(), placement);
  }

  /** Places an order, written together with the others that arrive within a few milliseconds (placement-groups.ts). */
  async place(command: PlaceOrderCommand): Promise<PlacedOrder> {
    return this.placement.place(preparePlacement(command));
  }

  /** The placed order: the row just written, else read through `em` (a retry of an earlier order). */
  async placedOrder(em: EntityManager, placed: PlacedOrder): Promise<OrderRecord> {
    if (placed.row) return orderRecordFromRow(placed.row);
    return em.findOneOrFail(Order, { id: placed.orderId });
  }

  private async currentDefaultPolicy(): Promise<FulfilmentPolicy> {
    if (!this.defaultPolicy || Date.now() - this.defaultPolicy.readAt > SETTINGS_TTL_MS) {
      this.defaultPolicy = { value: (await this.settings.get()).defaultFulfilmentPolicy, readAt: Date.now() };
    }
    return this.defaultPolicy.value;
  }

  async get(em: EntityManager, id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
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

  /** Open backorder lines, in the order they will be served (priority, then age), each pegged to its supply. */
  backorders(em: EntityManager, filter: BackorderFilter = {}, page: PageRequest = {}): Promise<Page<BackorderView>> {
    return listBackorders(em, filter, page);
  }

  /** Units owed per SKU over the same filter. */
  backorderTotals(em: EntityManager, filter: BackorderFilter = {}): Promise<BackorderSkuTotal[]> {
    return backorderTotals(em, filter);
  }

  /**
   * Cancels units of an order's lines for a SKU (see `cancelUnits`). Without `quantity`, everything that can be
   * cancelled is. With `expectedVersion`, a stale version is a CONFLICT and nothing changes.
   */
  async cancelLine(orderId: string, sku: string, quantity?: number | null, expectedVersion?: number | null): Promise<void> {
    if (quantity != null && (!Number.isInteger(quantity) || quantity < 1))
      throw badInput('quantity must be a whole number of at least 1', { field: 'quantity' });
    await this.orm.em.fork().transactional(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order) throw notFound(`No order ${orderId}`);
      if (expectedVersion != null) requireVersion(order, expectedVersion);
      requireTransition(order, OrderAction.CANCEL_LINE);
      const done = await cancelUnits(em, order, [{ sku, quantity: quantity ?? null }]);
      await finishCancellation(em, order, done, `Cancelled ${done.map((d) => `${d.cancelled} × ${d.sku}`).join(', ')}`);
    });
  }
}
