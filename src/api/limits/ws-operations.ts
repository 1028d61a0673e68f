import { ExecutionArgs, getOperationAST, GraphQLError, GraphQLSchema, parse, specifiedRules, validate, ValidationRule } from 'graphql';
import type { Principal } from '../../auth/roles';
import { unauthenticated } from '../../shared/errors';
import { toGraphQLError } from '../errors';
import { SocketSubscriptions, SubscriptionLimiter } from './subscription-limits';
import { tokenLimitError } from './query-limits';

/** What the API keeps on each websocket (graphql-ws `ctx.extra`). */
export interface SocketState extends Record<PropertyKey, unknown> {
  principal?: Principal | null;
  subscriptions?: SocketSubscriptions;
}

export interface WebSocketOperationGuard {
  schema: GraphQLSchema;
  validationRules: ValidationRule[];
  maxQueryTokens: number;
  limiter: SubscriptionLimiter;
}

interface OperationPayload {
  query?: unknown;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * graphql-ws runs no Apollo plugins or rules: this is its onSubscribe. An operation runs only with a principal
 * (introspection included), within the token limit, valid under graphql's rules plus ours, and, for a
 * subscription, within the per-socket and per-subject counts. Returns the execution arguments, or the refusal.
 */
export function admitWebSocketOperation(
  guard: WebSocketOperationGuard,
  socket: SocketState,
  id: string,
  payload: OperationPayload,
): ExecutionArgs | GraphQLError[] {
  if (!socket.principal) return [toGraphQLError(unauthenticated())];

  const query = payload.query;
  if (typeof query !== 'string') return [new GraphQLError('The operation has no query')];
  const tooLong = tokenLimitError(query, guard.maxQueryTokens);
  if (tooLong) return [tooLong];

  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const errors = validate(guard.schema, document, [...specifiedRules, ...guard.validationRules]);
  if (errors.length > 0) return [...errors];
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [new GraphQLError('Unable to identify the operation: name it with operationName')];

  if (operation.operation === 'subscription') {
    socket.subscriptions ??= new Set();
    const refused = guard.limiter.acquire(socket.subscriptions, socket.principal.subject, id);
    if (refused) return [refused];
  }
  return {
    schema: guard.schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
  };
}
