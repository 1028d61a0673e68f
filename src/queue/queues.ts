/** Queue and job names, and job ids, in one place. */
export const ALLOCATION_QUEUE = 'allocation';
export const ALLOCATE_JOB = 'allocate';

/** BullMQ keys live under the deployment's prefix, beside its pub/sub channels. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

/**
 * A job is only a wake-up call: the work itself is in allocation_request. One job per outbox delivery round,
 * named after its last message, so a redelivered round does not queue a second job.
 */
export const allocateJobId = (lastOutboxId: string) => `allocate-${lastOutboxId}`;
