import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Backlog, cachedBacklog, readBacklog } from '../observability/backlog';
import { metricsAccessAllowed } from '../observability/metrics-access';
import { createMetricsRegistry, LATENCY_BUCKETS_SECONDS } from '../observability/metrics-registry';
import type { Logger } from '../shared/logger';

export interface OperationSample {
  operation: string;
  type: string;
  outcome: string;
  /** Absent when the request failed before it ran (its context could not be created). */
  durationSeconds?: number;
}

export interface ApiMetrics {
  registry: Registry;
  recordOperation(sample: OperationSample): void;
  subscriptionStarted(): void;
  subscriptionEnded(): void;
  /** `GET /metrics`: Prometheus text, behind METRICS_TOKEN when it is set. */
  handler(req: Request, res: Response): void;
}

const BACKLOG_GAUGES: Array<[keyof Backlog, string, string]> = [
  ['pendingOrders', 'oms_orders_pending', 'Orders placed and not yet allocated (PENDING)'],
  ['oldestPendingOrderSeconds', 'oms_orders_pending_oldest_age_seconds', 'Age of the oldest PENDING order: allocation lag as it builds up'],
  ['undeliveredOutboxMessages', 'oms_outbox_undelivered_messages', 'Outbox messages not yet delivered to Redis'],
  ['oldestUndeliveredOutboxSeconds', 'oms_outbox_oldest_undelivered_age_seconds', 'Age of the oldest undelivered outbox message'],
  ['owedAllocationRequests', 'oms_allocation_requests_owed', 'Allocation requests waiting for the worker'],
  ['oldestOwedAllocationRequestSeconds', 'oms_allocation_requests_oldest_age_seconds', 'Age of the oldest allocation request waiting for the worker'],
  ['setAsideAllocationRequests', 'oms_allocation_requests_set_aside', 'Allocation requests set aside after failing too often (need a person)'],
  ['openBackorderLines', 'oms_backorder_lines_open', 'Order lines with backordered units'],
  ['openBackorderUnits', 'oms_backorder_units_open', 'Backordered units over all order lines'],
];

/** The API's /metrics: GraphQL operations, live subscriptions, and the backlog read from the database at scrape time. */
export function createApiMetrics({ orm, token, logger }: { orm: MikroORM; token?: string; logger: Logger }): ApiMetrics {
  const registry = createMetricsRegistry('api');
  const registers = [registry];
  const operations = new Counter({
    name: 'oms_graphql_operations_total',
    help: 'GraphQL operations over HTTP, by operation name, type and outcome (ok or error code)',
    labelNames: ['operation', 'type', 'outcome'],
    registers,
  });
  const durations = new Histogram({
    name: 'oms_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency over HTTP, by operation name and type',
    labelNames: ['operation', 'type'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const subscriptions = new Gauge({ name: 'oms_subscriptions_active', help: 'GraphQL subscriptions running over websockets', registers });

  const backlog = cachedBacklog(() => readBacklog(orm));
  new Gauge({
    name: 'oms_backlog_query_up',
    help: '1 if the last backlog reading from the database succeeded, else 0 (the backlog gauges then keep their last values)',
    registers,
    async collect() {
      const reading = await backlog.read();
      this.set(reading.ok ? 1 : 0);
    },
  });
  for (const [key, name, help] of BACKLOG_GAUGES) {
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const { backlog: figures } = await backlog.read();
        if (figures) this.set(figures[key]);
      },
    });
  }

  return {
    registry,
    recordOperation({ operation, type, outcome, durationSeconds }) {
      operations.inc({ operation, type, outcome });
      if (durationSeconds !== undefined) durations.observe({ operation, type }, durationSeconds);
    },
    subscriptionStarted: () => subscriptions.inc(),
    subscriptionEnded: () => subscriptions.dec(),
    handler(req, res) {
      if (!metricsAccessAllowed(req.headers.authorization, token)) {
        res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('unauthorized\n');
        return;
      }
      registry.metrics().then(
        (text) => res.type(registry.contentType).send(text),
        (error) => {
          logger.error('metrics collection failed', { error: String(error) });
          res.status(500).type('text/plain').send('metrics collection failed\n');
        },
      );
    },
  };
}
