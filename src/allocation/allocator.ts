import { DeadlockException } from '@mikro-orm/core';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../shared/logger';
import { applyAllocationPlan, StockMovedError } from './apply-plan';
import { loadSnapshot } from './load-snapshot';
import { planAllocation } from './plan-allocation';
import type { PlanningPolicy } from './planning.types';

/** Any constant: the lock that lets one allocation batch run at a time across every worker process. */
const ALLOCATION_LOCK_KEY = 7_311_004_212;
const MAX_REPLANS = 5;
/** A request whose batches failed this often is left for a person (it stays in allocation_request, visible). */
export const MAX_ALLOCATION_ATTEMPTS = 5;

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

  /**
   * Runs batches until nothing is owed. When a batch fails, its requests are charged an attempt and the rest of
   * the work runs one request per batch, so one bad request cannot hold back the others.
   */
  async drain(): Promise<BatchResult> {
    const total: BatchResult = { requests: 0, orders: 0 };
    let batchSize = this.options.batchSize;
    for (;;) {
      let result: BatchResult;
      try {
        result = await this.runBatch(batchSize);
      } catch (error) {
        if (batchSize === 1 && !(error instanceof RequestsChargedError)) throw error;
        batchSize = 1;
        continue;
      }
      if (result.requests === 0) return total;
      total.requests += result.requests;
      total.orders += result.orders;
    }
  }

  async runBatch(batchSize = this.options.batchSize): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      const taken: string[] = [];
      try {
        return await this.orm.em.fork().transactional((em) => this.batch(em, batchSize, taken));
      } catch (error) {
        // Both mean "the world moved under this batch": plan again from a fresh snapshot, charging nobody.
        if ((error instanceof StockMovedError || error instanceof DeadlockException) && attempt < MAX_REPLANS) {
          this.options.logger?.info('allocation batch raced a concurrent change, planning again', { attempt, error: String(error) });
          continue;
        }
        if (taken.length === 0) throw error;
        await this.charge(taken, error);
        throw new RequestsChargedError(taken.length, error);
      }
    }
  }

  private async charge(requestIds: string[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message.slice(0, 2000) : String(error);
    this.options.logger?.error('allocation batch failed', { requests: requestIds.length, error: message });
    await this.orm.em.fork().execute(
      `update allocation_request set attempts = attempts + 1, last_error = ? where id = any(?::bigint[])`,
      [message, `{${requestIds.join(',')}}`],
    );
  }

  private async batch(em: EntityManager, batchSize: number, taken: string[]): Promise<BatchResult> {
    await em.execute('select pg_advisory_xact_lock(?)', [ALLOCATION_LOCK_KEY]);
    const requests: Array<{ id: string; order_id: string | null; sku: string | null }> = await em.execute(
      `delete from allocation_request where id in (
         select id from allocation_request where attempts < ? order by id limit ?)
       returning id::text as id, order_id, sku`,
      [MAX_ALLOCATION_ATTEMPTS, batchSize],
    );
    taken.push(...requests.map((r) => r.id));
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

/** A batch failed and its requests were charged an attempt; the caller may go on with smaller batches. */
export class RequestsChargedError extends Error {
  constructor(readonly requests: number, readonly cause: unknown) {
    super(`allocation batch of ${requests} request(s) failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
