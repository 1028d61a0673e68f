import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../shared/logger';
import { applyAllocationPlan, StockMovedError } from './apply-plan';
import { loadSnapshot } from './load-snapshot';
import { planAllocation } from './plan-allocation';
import type { PlanningPolicy } from './planning.types';

/** Any constant: the lock that lets one allocation batch run at a time across every worker process. */
const ALLOCATION_LOCK_KEY = 7_311_004_212;
const MAX_ATTEMPTS = 5;

export interface AllocatorOptions {
  batchSize: number;
  policyFor: (em: EntityManager) => Promise<PlanningPolicy>;
  clock?: () => Date;
  logger?: Logger;
}

export interface BatchResult {
  requests: number;
  orders: number;
}

/**
 * Settles the allocation work the database says is owed, a batch at a time. Each batch is one transaction:
 * take requests, load one snapshot, plan, apply, delete the requests. A crash anywhere rolls the whole batch
 * back, requests included, so the work is done later, exactly once. Batches are serialised by an advisory
 * lock, which makes any number of workers safe; the guarded stock updates keep the API's concurrent stock
 * changes safe, and the database's check constraint is the last word.
 */
export class Allocator {
  private readonly clock: () => Date;

  constructor(private readonly orm: MikroORM, private readonly options: AllocatorOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Runs batches until nothing is owed. */
  async drain(): Promise<BatchResult> {
    const total: BatchResult = { requests: 0, orders: 0 };
    for (;;) {
      const result = await this.runBatch();
      if (result.requests === 0) return total;
      total.requests += result.requests;
      total.orders += result.orders;
    }
  }

  async runBatch(): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.orm.em.fork().transactional((em) => this.batch(em));
      } catch (error) {
        if (!(error instanceof StockMovedError) || attempt >= MAX_ATTEMPTS) throw error;
        this.options.logger?.info('stock moved during allocation, planning again', { attempt, keys: error.keys.length });
      }
    }
  }

  private async batch(em: EntityManager): Promise<BatchResult> {
    await em.execute('select pg_advisory_xact_lock(?)', [ALLOCATION_LOCK_KEY]);
    const requests: Array<{ order_id: string | null; sku: string | null }> = await em.execute(
      `delete from allocation_request where id in (select id from allocation_request order by id limit ?) returning order_id, sku`,
      [this.options.batchSize],
    );
    if (requests.length === 0) return { requests: 0, orders: 0 };
    const now = this.clock();
    const policy = await this.options.policyFor(em);
    const batch = await loadSnapshot(
      em,
      {
        orderIds: [...new Set(requests.flatMap((r) => (r.order_id ? [r.order_id] : [])))],
        skus: [...new Set(requests.flatMap((r) => (r.sku ? [r.sku] : [])))],
      },
      policy,
      now,
    );
    const plan = planAllocation(batch.snapshot);
    await applyAllocationPlan(em, batch, plan, now);
    this.options.logger?.debug('allocation batch applied', { requests: requests.length, orders: plan.orders.length });
    return { requests: requests.length, orders: plan.orders.length };
  }
}
