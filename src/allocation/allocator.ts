import { DeadlockException } from '@mikro-orm/core';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../shared/logger';
import { applyAllocationPlan } from './apply-plan';
import { allocationLagsMs, BatchObserver, BatchReport } from './batch-report';
import { LoadedBatch, loadSnapshot } from './load-snapshot';
import { lockPartitions, peekRequestGroups, takeRequests, tryLockPartitions } from './partition-locks';
import { ALLOCATION_PARTITIONS, ascending, eligibleRequests, missingPartitions, partitionsOfSkus, partitionsToTry } from './partitions';
import { planAllocation } from './plan-allocation';
import { recordReceiptServing } from './record-receipt-serving';
import { StockMovedError } from './stock-moved';
import type { AllocationPlan, PlanningPolicy } from './planning.types';
import { sqlArray } from '../db/sql';

const MAX_REPLANS = 5;
/** How many of the oldest owed requests a batch looks at, in batches, to find work in partitions that are free. */
const PEEK_BATCHES = 4;
/** Rounds of try-locks a batch makes before it settles for the partitions it got. */
const TRY_LOCK_ROUNDS = 3;
/** A request whose batches failed this often is left for a person (it stays in allocation_request, visible). */
export const MAX_ALLOCATION_ATTEMPTS = 5;

export interface AllocatorOptions {
  batchSize: number;
  policyFor: (em: EntityManager) => Promise<PlanningPolicy>;
  clock?: () => Date;
  logger?: Logger;
  /** Told about every batch that took work, after it committed or failed (metrics, logs). */
  onBatch?: BatchObserver;
}

export interface BatchResult {
  requests: number;
  orders: number;
}

/**
 * Settles the allocation work the database says is owed, a batch at a time. Each batch is one transaction:
 * take requests, load one snapshot, plan, apply, delete the requests. A crash anywhere rolls the whole batch
 * back, requests included, so the work is done later, exactly once. Work is partitioned by SKU (partitions.ts):
 * a batch holds the advisory lock of every partition whose SKUs it plans, so batches of any number of workers run
 * at once when their partitions differ and one after the other when they share one; the guarded stock updates keep
 * the API's concurrent stock changes safe, and the database's check constraint is the last word.
 *
 * No wait can deadlock: a transaction waits for partition locks only when it starts, in ascending order; later it
 * only tries them (pg_try_advisory_xact_lock). A batch that finds it needs a partition it could not get rolls back
 * and starts again, waiting for the whole set in order. Rows are then locked as before: orders in id order, then
 * stock rows in id order.
 */
export class Allocator {
  private readonly clock: () => Date;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: AllocatorOptions,
  ) {
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
    const started = performance.now();
    const phasesMs = { load: 0, plan: 0, apply: 0 };
    let lockFirst: number[] = [];
    let restarts = 0;
    for (let attempt = 1; ; attempt++) {
      const taken: string[] = [];
      const planned: { last?: PlannedBatch } = {};
      try {
        const result = await this.orm.em.fork().transactional((em) => this.batch(em, batchSize, taken, phasesMs, planned, lockFirst));
        if (result.requests > 0) {
          this.report({
            outcome: 'ok',
            ...result,
            durationMs: performance.now() - started,
            phasesMs,
            replans: attempt - 1,
            allocationLagsMs: planned.last ? allocationLagsMs(planned.last.batch, planned.last.plan, this.clock()) : [],
          });
        }
        return result;
      } catch (error) {
        // The set grows at every restart and is bounded by the partitions, so restarts end.
        if (error instanceof PartitionsNeededError && restarts++ <= ALLOCATION_PARTITIONS) {
          lockFirst = error.partitions;
          attempt--;
          continue;
        }
        // Both mean "the world moved under this batch": plan again from a fresh snapshot, charging nobody.
        if ((error instanceof StockMovedError || error instanceof DeadlockException) && attempt < MAX_REPLANS) {
          this.options.logger?.info('allocation batch raced a concurrent change, planning again', { attempt, error: String(error) });
          continue;
        }
        if (taken.length === 0) throw error;
        this.report({
          outcome: 'failed',
          requests: taken.length,
          orders: 0,
          durationMs: performance.now() - started,
          phasesMs,
          replans: attempt - 1,
          allocationLagsMs: [],
          error: error instanceof Error ? error.message : String(error),
        });
        await this.charge(taken, error);
        throw new RequestsChargedError(taken.length, error);
      }
    }
  }

  private report(report: BatchReport): void {
    try {
      this.options.onBatch?.(report);
    } catch (error) {
      this.options.logger?.warn('allocation batch observer failed', { error: String(error) });
    }
  }

  private async charge(requestIds: string[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message.slice(0, 2000) : String(error);
    await this.orm.em
      .fork()
      .execute(`update allocation_request set attempts = attempts + 1, last_error = ? where id = any(?::bigint[])`, [message, sqlArray(requestIds)]);
  }

  private async batch(
    em: EntityManager,
    batchSize: number,
    taken: string[],
    phasesMs: BatchReport['phasesMs'],
    planned: { last?: PlannedBatch },
    lockFirst: number[],
  ): Promise<BatchResult> {
    const held = new Set<number>();
    await lockPartitions(em, lockFirst);
    lockFirst.forEach((p) => held.add(p));
    const { groups, otherBatches } = await peekRequestGroups(em, MAX_ALLOCATION_ATTEMPTS, batchSize * PEEK_BATCHES);
    if (groups.length === 0) return { requests: 0, orders: 0 };
    // Alone, a batch may take every partition; beside others, its share, so that they find work too.
    const maxHeld = Math.ceil(ALLOCATION_PARTITIONS / (otherBatches + 1));
    const busy = new Set<number>();
    for (let round = 0; round < TRY_LOCK_ROUNDS && eligibleRequests(groups, held, batchSize).length < batchSize; round++) {
      const wanted = partitionsToTry(groups, held, busy, batchSize, maxHeld);
      if (wanted.length === 0) break;
      const got = new Set(await tryLockPartitions(em, wanted));
      for (const p of wanted) (got.has(p) ? held : busy).add(p);
    }
    const ids = eligibleRequests(groups, held, batchSize);
    if (ids.length === 0) {
      // Everything owed is in partitions other batches hold: wait for the oldest group's, so that no work is left
      // behind when those batches have just looked for more and found none. Having waited, take what is there.
      if (lockFirst.length > 0) return { requests: 0, orders: 0 };
      throw new PartitionsNeededError(groups[0].partitions);
    }
    const requests = await takeRequests(em, ids, MAX_ALLOCATION_ATTEMPTS);
    taken.push(...requests.map((r) => r.id));
    if (requests.length === 0) return { requests: 0, orders: 0 };
    const now = this.clock();
    let phaseStart = performance.now();
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
    phasesMs.load += performance.now() - phaseStart;
    // Backorders that compete with this batch's demand may have lines in other partitions: plan them only under
    // those partitions' locks too, taken afresh in order.
    const missing = missingPartitions(partitionsOfSkus(plannedSkus(batch)), held);
    if (missing.length > 0) throw new PartitionsNeededError(ascending([...held, ...missing]));
    phaseStart = performance.now();
    const plan = planAllocation(batch.snapshot);
    phasesMs.plan += performance.now() - phaseStart;
    phaseStart = performance.now();
    await applyAllocationPlan(em, batch, plan, now);
    await recordReceiptServing(em, batch, plan, now);
    phasesMs.apply += performance.now() - phaseStart;
    planned.last = { batch, plan };
    this.options.logger?.debug('allocation batch applied', { requests: requests.length, orders: plan.orders.length });
    return { requests: requests.length, orders: plan.orders.length };
  }
}

/** The batch and plan a transaction applied, kept to measure allocation lag once it committed. */
interface PlannedBatch {
  batch: LoadedBatch;
  plan: AllocationPlan;
}

/** Every SKU a batch plans or reserves: its products, and the lines of its orders. */
function plannedSkus(batch: LoadedBatch): Set<string> {
  const skus = new Set(batch.snapshot.products.map((p) => p.sku));
  for (const order of batch.snapshot.demand) for (const line of order.lines) skus.add(line.sku);
  return skus;
}

/** The batch must run under these partitions' locks (ascending): roll back and start again, waiting for them. */
class PartitionsNeededError extends Error {
  constructor(readonly partitions: number[]) {
    super(`allocation batch needs partitions ${partitions.join(',')}`);
  }
}

/** A batch failed and its requests were charged an attempt; the caller may go on with smaller batches. */
export class RequestsChargedError extends Error {
  constructor(
    readonly requests: number,
    readonly cause: unknown,
  ) {
    super(`allocation batch of ${requests} request(s) failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
