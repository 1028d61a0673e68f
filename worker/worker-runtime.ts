import type { MikroORM } from '@mikro-orm/postgresql';
import { Queue, Worker } from 'bullmq';
import { Allocator } from '../src/allocation/allocator';
import type { PlanningPolicy } from '../src/allocation/planning.types';
import type { AppConfig } from '../src/config/config';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { expireLapsedQuotes } from '../src/quotes/quote-expiry';
import { ALLOCATE_JOB, ALLOCATION_QUEUE, allocateJobId, bullPrefix } from '../src/queue/queues';
import { createRedis, withTimeout } from '../src/queue/redis';
import { createOutageLog, watchRedisConnection } from '../src/observability/outage-log';
import { createWorkerMetrics } from '../src/observability/worker-metrics';
import type { Logger } from '../src/shared/logger';
import { oweWebhookDeliveries } from '../src/webhooks/webhook-fanout';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher';
import { batchLogLine } from './batch-log';

export interface WorkerRuntimeOptions {
  config: AppConfig;
  orm: MikroORM;
  logger: Logger;
  policyFor: (em: ReturnType<MikroORM['em']['fork']>) => Promise<PlanningPolicy>;
  /** How often to look for owed work even if no job arrived (Redis lost a job, or was down). */
  sweepMs?: number;
}

/**
 * The worker process: the outbox relay, and a BullMQ worker whose jobs wake the allocator. The allocator
 * drains allocation_request, the database's list of owed work, so a lost or duplicated job changes nothing.
 */
export function createWorkerRuntime({ config, orm, logger, policyFor, sweepMs = 5_000 }: WorkerRuntimeOptions) {
  const prefix = bullPrefix(config.redisPrefix);
  const queueConnection = createRedis(config.redisUrl, 'fail-fast', 'oms-queue');
  const workerConnection = createRedis(config.redisUrl, 'blocking', 'oms-worker');
  const publisher = createRedis(config.redisUrl, 'fail-fast', 'oms-publisher');
  watchRedisConnection(queueConnection, logger, 'queue');
  watchRedisConnection(workerConnection, logger, 'worker');
  watchRedisConnection(publisher, logger, 'publisher');
  const metrics = createWorkerMetrics();
  const queue = new Queue(ALLOCATION_QUEUE, { connection: queueConnection, prefix });
  queue.on('error', () => undefined);
  const allocator = new Allocator(orm, {
    batchSize: config.allocationBatchSize,
    policyFor,
    logger,
    onBatch: (report) => {
      metrics.recordBatch(report);
      const line = batchLogLine(report);
      logger[line.level](line.message, line.fields);
    },
  });
  const allocationFailed = (message: string) => (error: unknown) => {
    metrics.recordAllocationFailure('drain');
    logger.error(message, { error: String(error) });
  };

  let draining: Promise<unknown> | null = null;
  /** One drain at a time in this process; a request while one runs is served by that run's final check. */
  const drain = async () => {
    while (draining) await draining.catch(() => undefined);
    draining = allocator.drain();
    try {
      return await draining;
    } finally {
      draining = null;
    }
  };

  const webhooks = new WebhookDispatcher(orm, {
    timeoutMs: config.webhookTimeoutMs,
    maxAttempts: config.webhookMaxAttempts,
    backoff: { baseMs: config.webhookBackoffBaseMs, maxMs: config.webhookBackoffMaxMs },
    concurrency: config.webhookConcurrency,
    pollMs: config.webhookPollMs,
    allowPrivate: config.webhookAllowPrivate,
    secretKey: config.webhookSecretKey,
    logger,
  });

  /** Set when a relay batch owed webhook deliveries: the dispatcher is woken once that batch committed. */
  let webhooksOwed = false;
  const relay = new OutboxRelay(
    orm,
    {
      async publish(messages) {
        const pipeline = publisher.pipeline();
        for (const m of messages) pipeline.publish(m.channel, m.message);
        const results = await withTimeout(pipeline.exec(), 2_000, 'redis publish');
        const failed = results?.find(([error]) => error);
        if (failed) throw failed[0];
      },
      async wakeAllocator(jobId) {
        // This process allocates at once; the job wakes any other worker process (and retries if this one dies).
        drain().catch(allocationFailed('allocation failed'));
        await withTimeout(
          queue.add(
            ALLOCATE_JOB,
            {},
            { jobId, removeOnComplete: 1000, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 200 } },
          ),
          2_000,
          'queue add',
        );
      },
    },
    {
      databaseUrl: config.databaseUrl,
      redisPrefix: config.redisPrefix,
      pollMs: config.outboxPollMs,
      logger,
      jobIdFor: allocateJobId,
      onFailure: metrics.recordDeliveryFailure,
      onDelivered: (messages) => {
        metrics.recordDelivered(messages);
        if (webhooksOwed) webhooks.kick();
        webhooksOwed = false;
      },
      onOrderEvents: async (em, events) => {
        if ((await oweWebhookDeliveries(em, events)) > 0) webhooksOwed = true;
      },
    },
  );

  let worker: Worker | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let expiring: Promise<unknown> | null = null;
  /** Quotes past their validUntil: one sweep at a time, on the allocation sweep's beat. */
  const expireQuotes = () => {
    expiring ??= expireLapsedQuotes(orm)
      .catch((error) => logger.error('quote expiry sweep failed', { error: String(error) }))
      .finally(() => (expiring = null));
    return expiring;
  };

  return {
    allocator,
    /** The worker's Prometheus registry; worker/main.ts serves it on WORKER_METRICS_PORT. */
    metrics: metrics.registry,
    relay,
    webhooks,
    drain,
    expireQuotes,
    async start() {
      worker = new Worker(ALLOCATION_QUEUE, async () => drain(), { connection: workerConnection, prefix, concurrency: 1, autorun: true });
      // BullMQ reports every failed reconnect while Redis is down: the outage rule keeps that to a few lines.
      const workerOutage = createOutageLog(logger, 'allocation worker', {});
      worker.on('error', (error) => workerOutage.failure(error));
      worker.on('ready', () => workerOutage.success());
      workerConnection.on('ready', () => workerOutage.success());
      worker.on('failed', (job, error) => {
        metrics.recordAllocationFailure('job');
        logger.error('allocation job failed', { jobId: job?.id, error: String(error) });
      });
      await relay.start();
      webhooks.start();
      sweeper = setInterval(() => {
        drain().catch(allocationFailed('allocation sweep failed'));
        void expireQuotes();
      }, sweepMs);
      drain().catch(allocationFailed('allocation at start failed'));
      void expireQuotes();
    },
    /**
     * Stops taking work and lets a running batch commit. BullMQ's close waits for Redis, so with Redis unreachable
     * it would never return: its steps share `timeoutMs`, after which the connections are simply dropped (a job
     * left active is only a wake-up call; the owed work stays in allocation_request).
     */
    async stop(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(1, deadline - Date.now());
      const bounded = (step: Promise<unknown>, what: string) =>
        withTimeout(step, left(), what).catch((error) => logger.warn('worker stop: step abandoned', { step: what, error: String(error) }));
      if (sweeper) clearInterval(sweeper);
      await bounded(relay.stop(), 'outbox relay stop');
      await bounded(webhooks.stop(), 'webhook attempts in flight');
      await bounded(worker?.close() ?? Promise.resolve(), 'BullMQ worker close');
      await bounded(
        (async () => {
          while (draining) await draining.catch(() => undefined);
        })(),
        'running allocation batch',
      );
      await bounded(expiring ?? Promise.resolve(), 'running quote expiry sweep');
      await bounded(queue.close(), 'queue close');
      queueConnection.disconnect();
      workerConnection.disconnect();
      publisher.disconnect();
    },
  };
}

export type WorkerRuntime = ReturnType<typeof createWorkerRuntime>;
