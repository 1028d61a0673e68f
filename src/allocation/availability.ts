import type { EntityManager } from '@mikro-orm/postgresql';
import type { Queryable } from '../db/pg-pool';
import { emRunner, pgRunner } from '../db/sql-runner';
import type { ReferenceDataCache } from '../reference-data/reference-cache';
import { badInput, notFound } from '../shared/errors';
import type { PlanningSnapshot } from './planning.types';
import { AvailabilityQuery, availabilityAnswers, AvailabilityView } from './storefront/availability-answer';
import { CatalogueFacts, DeliveryOption, deliveryOptions, DeliveryQuery } from './storefront/delivery-options';
import { validateCartLines } from './storefront/probe';
import { StorefrontRowsMemo } from './storefront/rows-memo';
import { loadStorefrontSnapshot } from './storefront/storefront-snapshot';

export type { AvailabilityQuery, AvailabilityView } from './storefront/availability-answer';
export type { DeliveryOption, DeliveryQuery } from './storefront/delivery-options';

/**
 * Storefront answers (availability of SKUs, delivery options of a cart), computed by the allocation planner
 * itself over the same snapshot the worker would load: stock, transfers, inbound purchase orders, and every open
 * backorder that would be served first. One snapshot per request, whatever the number of SKUs. Read-only.
 */
export class AvailabilityService {
  /** Rows read before, parsed, with the plan of the demand before a cart (per process; see rows-memo.ts). */
  private readonly memo = new StorefrontRowsMemo();

  constructor(
    private readonly pg: Queryable,
    private readonly reference: ReferenceDataCache,
  ) {}

  // Each read reads one statement (one committed state), prepared, on the hot paths' pool; or, given an em in a
  // transaction (a query with several root fields shares one read snapshot), on that transaction's connection.
  async check(query: AvailabilityQuery, now = new Date(), em?: EntityManager): Promise<AvailabilityView> {
    if (!Number.isInteger(query.quantity) || query.quantity < 1)
      throw badInput('quantity must be a whole number of at least 1', { field: 'quantity' });
    return (await this.checkMany([query], now, em))[0];
  }

  /** Many SKUs in one round trip (a catalogue page): one snapshot, one planner run per repeated SKU. */
  async checkMany(queries: AvailabilityQuery[], now = new Date(), em?: EntityManager): Promise<AvailabilityView[]> {
    validateCartLines(queries, 'items');
    const { snapshot, facts } = await this.load(
      em,
      queries.map((q) => q.sku),
      now,
    );
    return availabilityAnswers(snapshot, queries, facts);
  }

  async deliveryOptions(query: DeliveryQuery, now = new Date(), em?: EntityManager): Promise<DeliveryOption[]> {
    if (typeof query.region !== 'string' || query.region.trim() === '') throw badInput('region is required', { field: 'region' });
    validateCartLines(query.lines);
    if (query.maxWarehouses != null && (!Number.isInteger(query.maxWarehouses) || query.maxWarehouses < 1)) {
      throw badInput('maxWarehouses must be a whole number of at least 1', { field: 'maxWarehouses' });
    }
    const { snapshot, facts } = await this.load(
      em,
      query.lines.map((l) => l.sku),
      now,
    );
    return deliveryOptions(snapshot, query, facts);
  }

  private async load(em: EntityManager | undefined, skus: string[], now: Date): Promise<{ snapshot: PlanningSnapshot; facts: CatalogueFacts }> {
    const run = em?.isInTransaction() ? emRunner(em) : pgRunner(this.pg);
    const { snapshot, unknownSkus, noBackorderSkus, earlierDemand } = await loadStorefrontSnapshot(run, this.reference, skus, now, this.memo);
    if (unknownSkus.length > 0) throw notFound(`No product ${unknownSkus.join(', ')}`);
    return { snapshot, facts: { noBackorderSkus, earlierDemand } };
  }
}
