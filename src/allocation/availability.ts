import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../shared/errors';
import { loadSnapshot } from './load-snapshot';
import type { PlanningPolicy, PlanningSnapshot } from './planning.types';
import { AvailabilityQuery, availabilityAnswers, AvailabilityView } from './storefront/availability-answer';
import { CatalogueFacts, DeliveryOption, deliveryOptions, DeliveryQuery } from './storefront/delivery-options';
import { validateCartLines } from './storefront/probe';

export type { AvailabilityQuery, AvailabilityView } from './storefront/availability-answer';
export type { DeliveryOption, DeliveryQuery } from './storefront/delivery-options';

/**
 * Storefront answers (availability of SKUs, delivery options of a cart), computed by the allocation planner
 * itself over the same snapshot the worker would load: stock, transfers, inbound purchase orders, and every open
 * backorder that would be served first. One snapshot per request, whatever the number of SKUs. Read-only.
 */
export class AvailabilityService {
  constructor(private readonly orm: MikroORM, private readonly policyFor: (em: EntityManager) => Promise<PlanningPolicy>) {}

  // Each read takes an em: the request's, inside its read snapshot (a second connection per request could starve the
  // pool while every request holds one), or a fork of its own.
  async check(query: AvailabilityQuery, now = new Date(), em: EntityManager = this.orm.em.fork()): Promise<AvailabilityView> {
    if (!Number.isInteger(query.quantity) || query.quantity < 1) throw badInput('quantity must be a whole number of at least 1', { field: 'quantity' });
    return (await this.checkMany([query], now, em))[0];
  }

  /** Many SKUs in one round trip (a catalogue page): one snapshot, one planner run per repeated SKU. */
  async checkMany(queries: AvailabilityQuery[], now = new Date(), em: EntityManager = this.orm.em.fork()): Promise<AvailabilityView[]> {
    validateCartLines(queries, 'items');
    const { snapshot, facts } = await this.load(em, queries.map((q) => q.sku), now);
    return availabilityAnswers(snapshot, queries, facts);
  }

  async deliveryOptions(query: DeliveryQuery, now = new Date(), em: EntityManager = this.orm.em.fork()): Promise<DeliveryOption[]> {
    if (typeof query.region !== 'string' || query.region.trim() === '') throw badInput('region is required', { field: 'region' });
    validateCartLines(query.lines);
    if (query.maxWarehouses != null && (!Number.isInteger(query.maxWarehouses) || query.maxWarehouses < 1)) {
      throw badInput('maxWarehouses must be a whole number of at least 1', { field: 'maxWarehouses' });
    }
    const { snapshot, facts } = await this.load(em, query.lines.map((l) => l.sku), now);
    return deliveryOptions(snapshot, query, facts);
  }

  private async load(em: EntityManager, skus: string[], now: Date): Promise<{ snapshot: PlanningSnapshot; facts: CatalogueFacts }> {
    const wanted = [...new Set(skus)];
    // Inside a transaction (the request's read snapshot) every statement shares one connection: one at a time.
    const policy = em.isInTransaction() ? await this.policyFor(em) : this.policyFor(em);
    const batch = await loadSnapshot(em, { orderIds: [], skus: wanted }, policy, now, { lockOrders: false });
    const known = new Set(batch.snapshot.products.map((p) => p.sku));
    const unknown = wanted.filter((sku) => !known.has(sku));
    if (unknown.length > 0) throw notFound(`No product ${unknown.join(', ')}`);
    return { snapshot: batch.snapshot, facts: { noBackorderSkus: batch.noBackorderSkus } };
  }
}
