import { OrderStatus } from '../orders/order.enums';
import type { LoadedBatch } from './load-snapshot';
import type { AllocationPlan } from './planning.types';

/** What one allocation batch did, for metrics and logs. Empty batches (nothing owed) are not reported. */
export interface BatchReport {
  outcome: 'ok' | 'failed';
  requests: number;
  orders: number;
  durationMs: number;
  /** Time spent loading the snapshot, planning and applying (0 for a phase that did not run). */
  phasesMs: { load: number; plan: number; apply: number };
  /** How often the batch was planned again because stock moved under it or Postgres reported a deadlock. */
  replans: number;
  /** Placed → allocated, in ms, for each order this batch took out of PENDING. */
  allocationLagsMs: number[];
  error?: string;
}

export type BatchObserver = (report: BatchReport) => void;

/** Orders that leave PENDING in this plan: how long each waited since it was placed. */
export function allocationLagsMs(batch: Pick<LoadedBatch, 'orders'>, plan: Pick<AllocationPlan, 'orders'>, now: Date): number[] {
  const lags: number[] = [];
  for (const planned of plan.orders) {
    const before = batch.orders.get(planned.orderId);
    if (!before || before.status !== OrderStatus.PENDING || planned.status === OrderStatus.PENDING) continue;
    lags.push(Math.max(0, now.getTime() - before.placedAt.getTime()));
  }
  return lags;
}
