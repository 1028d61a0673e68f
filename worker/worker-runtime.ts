import type { MikroORM } from '@mikro-orm/postgresql';
import { Queue, Worker } from 'bullmq';
import { Allocator } from '../src/allocation/allocator';
import type { PlanningPolicy } from '../src/allocation/planning.types';
import type { AppConfig } from '../src/config/config';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ALLOCATE_JOB, ALLOCATION_QUEUE, allocateJobId, bullPrefix } from '../src/queue/queues';
import { createRedis, withTimeout } from '../src/queue/redis';
import type { Logger } from '../src/shared/logger';

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
  const queue = new Queue(ALLOCATION_QUEUE, { connection: queueConnection, prefix });
  queue.on('error', () => undefined);
  const allocator = new Allocator(orm, { batchSize: config.allocationBatchSize, policyFor, logger });

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
        drain().catch((error) => logger.error('allocation failed', { error: String(error) }));
        await withTimeout(
          queue.add(ALLOCATE_JOB, {}, { jobId, removeOnComplete: 1000, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 200 } }),
          2_000,
          'queue add',
        );
      },
    },
    { databaseUrl: config.databaseUrl, redisPrefix: config.redisPrefix, pollMs: config.outboxPollMs, logger, jobIdFor: allocateJobId },
  );

  let worker: Worker | null = null;
  let sweeper: NodeJS.Timeout | null = null;

  return {
    allocator,
    relay,
    drain,
    async start() {
      worker = new Worker(ALLOCATION_QUEUE, async () => drain(), { connection: workerConnection, prefix, concurrency: 1, autorun: true });
      worker.on('error', (error) => logger.warn('allocation worker error', { error: String(error) }));
      worker.on('failed', (job, error) => logger.error('allocation job failed', { jobId: job?.id, error: String(error) }));
      await relay.start();
      sweeper = setInterval(() => {
        drain().catch((error) => logger.error('allocation sweep failed', { error: String(error) }));
      }, sweepMs);
      drain().catch((error) => logger.error('allocation at start failed', { error: String(error) }));
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
      await bounded(worker?.close() ?? Promise.resolve(), 'BullMQ worker close');
      await bounded((async () => {
        while (draining) await draining.catch(() => undefined);
      })(), 'running allocation batch');
      await bounded(queue.close(), 'queue close');
      queueConnection.disconnect();
      workerConnection.disconnect();
      publisher.disconnect();
    },
  };
}

export type WorkerRuntime = ReturnType<typeof createWorkerRuntime>;
