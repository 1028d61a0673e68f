import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import type { ServerOptions } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { OperationNames, operationTypeLabel, outcomeLabel } from '../observability/operation-labels';
import type { Logger } from '../shared/logger';
import type { ApiContext } from './context';
import type { ApiMetrics } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's request id is kept if it is short and plain; otherwise, or without one, a new one is made. */
export function requestIdFrom(incoming: unknown): string {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Every HTTP request gets an id, echoed in the `x-request-id` response header. It is written back into the request's
 * headers so that Apollo (which sees only headers) logs it with the operation.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  req.headers[REQUEST_ID_HEADER] = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
}

/**
 * One log line and one metrics sample per GraphQL operation over HTTP: name, type, outcome (ok or the first error's
 * code) and duration. A request refused while its context was made (a bad token) has no operation: it is counted
 * as "unknown".
 */
export function operationObserverPlugin({
  logger,
  metrics,
}: {
  logger: Logger;
  metrics: Pick<ApiMetrics, 'recordOperation'>;
}): ApolloServerPlugin<ApiContext> {
  const names = new OperationNames();
  return {
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: Record<string, unknown> }).extensions?.code;
      const outcome = outcomeLabel([{ extensions: { code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' } }]);
      metrics.recordOperation({ operation: 'unknown', type: 'unknown', outcome });
      logger.info('graphql request refused', { outcome });
    },
    async requestDidStart({ request, contextValue }) {
      const started = performance.now();
      let resolved = false;
      let type: string | undefined;
      return {
        async didResolveOperation({ operation }) {
          resolved = true;
          type = operation?.operation;
        },
        async willSendResponse({ response, operationName }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const sample = {
            operation: names.label(operationName, resolved),
            type: operationTypeLabel(type),
            outcome: outcomeLabel(errors),
            durationSeconds: (performance.now() - started) / 1000,
          };
          metrics.recordOperation(sample);
          const level = sample.outcome === 'INTERNAL_SERVER_ERROR' ? 'warn' : 'info';
          logger[level]('graphql operation', {
            requestId: request.http?.headers.get(REQUEST_ID_HEADER),
            operation: (operationName ?? request.operationName)?.slice(0, 100) ?? null,
            type: sample.type,
            outcome: sample.outcome,
            durationMs: Math.round(sample.durationSeconds * 10_000) / 10,
            role: contextValue.principal?.role ?? null,
            ...(errors && errors.length > 1 ? { errors: errors.length } : {}),
          });
        },
      };
    },
  };
}

/**
 * graphql-ws options that also keep the live-subscription gauge: up when a subscription's stream starts, down when
 * it completes (graphql-ws completes streams on abrupt closes too). The given hooks run as before.
 */
export function countingSubscriptions<P extends Record<string, unknown> | undefined, E>(
  options: ServerOptions<P, E>,
  metrics: ApiMetrics,
): ServerOptions<P, E> {
  const running = new WeakMap<object, Set<string>>();
  return {
    ...options,
    async onOperation(ctx, id, payload, args, result) {
      const replaced = await options.onOperation?.(ctx, id, payload, args, result);
      const stream = replaced ?? result;
      if (stream && typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        let ids = running.get(ctx);
        if (!ids) running.set(ctx, (ids = new Set()));
        ids.add(id);
        metrics.subscriptionStarted();
      }
      return replaced;
    },
    async onComplete(ctx, id, payload) {
      if (running.get(ctx)?.delete(id)) metrics.subscriptionEnded();
      await options.onComplete?.(ctx, id, payload);
    },
  };
}
