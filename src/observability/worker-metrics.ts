import { Counter, Histogram, Registry } from 'prom-client';
import type { BatchReport } from '../allocation/batch-report';
import { createMetricsRegistry, LAG_BUCKETS_SECONDS, LATENCY_BUCKETS_SECONDS, SIZE_BUCKETS } from './metrics-registry';

export interface WorkerMetrics {
  registry: Registry;
  recordBatch(report: BatchReport): void;
  recordDelivered(messages: number): void;
  recordDeliveryFailure(): void;
  recordAllocationFailure(where: 'job' | 'drain'): void;
}

/** The worker's own /metrics: allocation batches, allocation lag, outbox deliveries, failures. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = createMetricsRegistry('worker');
  const registers = [registry];
  const batches = new Counter({
    name: 'oms_allocation_batches_total',
    help: 'Allocation batches that took work, by outcome',
    labelNames: ['outcome'],
    registers,
  });
  const batchRequests = new Histogram({
    name: 'oms_allocation_batch_requests',
    help: 'Allocation requests taken per batch',
    buckets: SIZE_BUCKETS,
    registers,
  });
  const batchOrders = new Histogram({
    name: 'oms_allocation_batch_orders',
    help: 'Orders planned per successful batch',
    buckets: SIZE_BUCKETS,
    registers,
  });
  const batchSeconds = new Histogram({
    name: 'oms_allocation_batch_duration_seconds',
    help: 'Allocation batch duration, replans included, by outcome',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const phaseSeconds = new Histogram({
    name: 'oms_allocation_phase_duration_seconds',
    help: 'Time per batch spent loading the snapshot, planning and applying the plan',
    labelNames: ['phase'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const replans = new Counter({
    name: 'oms_allocation_replans_total',
    help: 'Batches planned again because stock moved or Postgres reported a deadlock',
    registers,
  });
  const lag = new Histogram({
    name: 'oms_allocation_lag_seconds',
    help: 'Time from an order being placed to its first allocation (leaving PENDING)',
    buckets: LAG_BUCKETS_SECONDS,
    registers,
  });
  const delivered = new Counter({ name: 'oms_outbox_messages_delivered_total', help: 'Outbox messages delivered to Redis', registers });
  const deliveryFailures = new Counter({
    name: 'oms_outbox_delivery_failures_total',
    help: 'Outbox delivery rounds that failed (retried by themselves)',
    registers,
  });
  const allocationFailures = new Counter({
    name: 'oms_allocation_failures_total',
    help: 'Allocation runs that failed outside a single batch (job: a BullMQ job failed; drain: a drain gave up)',
    labelNames: ['where'],
    registers,
  });
  for (const outcome of ['ok', 'failed']) batches.inc({ outcome }, 0);
  for (const where of ['job', 'drain']) allocationFailures.inc({ where }, 0);

  return {
    registry,
    recordBatch(report) {
      batches.inc({ outcome: report.outcome });
      batchRequests.observe(report.requests);
      if (report.outcome === 'ok') batchOrders.observe(report.orders);
      batchSeconds.observe({ outcome: report.outcome }, report.durationMs / 1000);
      for (const [phase, ms] of Object.entries(report.phasesMs)) phaseSeconds.observe({ phase }, ms / 1000);
      if (report.replans > 0) replans.inc(report.replans);
      for (const ms of report.allocationLagsMs) lag.observe(ms / 1000);
    },
    recordDelivered: (messages) => delivered.inc(messages),
    recordDeliveryFailure: () => deliveryFailures.inc(),
    recordAllocationFailure: (where) => allocationFailures.inc({ where }),
  };
}
