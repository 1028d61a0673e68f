import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isTransientConnectionError } from '../db/connection-retry';
import { DATABASE_REJECTED_INPUT, domainErrorFromDatabase } from '../db/database-errors';
import { DomainError, ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';

const CONTRACT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
]);

/** Codes Apollo and graphql-js give to requests that are malformed or do not fit the schema: all the caller's input. */
const INPUT_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export const GENERIC_ERROR_MESSAGE = 'Internal server error';
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable for a moment: nothing was changed, send the request again shortly';

export interface ErrorFormatOptions {
  logger: Logger;
  /** Show unexpected errors' messages and stacks (NODE_ENV=development only). */
  exposeInternalErrors: boolean;
  /** Drop graphql's "Did you mean ...?" suggestions, which reveal the schema (production). */
  hideSuggestions?: boolean;
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** A DomainError as a GraphQLError, for places that must throw GraphQL errors (context creation, websockets). */
export function toGraphQLError(error: DomainError, httpStatus?: number): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, ...(error.details ? { details: error.details } : {}), ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/**
 * Every error leaves the API with one of the contract's codes. Domain errors keep their code and message;
 * schema, parse and variable errors become BAD_USER_INPUT (the graphql-js code stays in `extensions.reason`);
 * PostgreSQL errors caused by the values (bad text or number, NUL bytes, a check constraint) become BAD_USER_INPUT or
 * CONFLICT with `extensions.reason` DATABASE_REJECTED_INPUT and a message without SQL;
 * anything else is logged and masked as INTERNAL_SERVER_ERROR, without stack or SQL.
 */
export function formatApiError(formatted: GraphQLFormattedError, error: unknown, options: ErrorFormatOptions): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const message = options.hideSuggestions ? formatted.message.replace(SUGGESTION, '') : formatted.message;
  const base = { message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) } };
  }
  if (original instanceof Error && original.name === 'ArgumentValidationError') {
    return { ...base, extensions: { code: 'BAD_USER_INPUT', reason: 'ARGUMENT_VALIDATION_FAILED' } };
  }
  if (original instanceof Error && original.name === 'UniqueConstraintViolationException') {
    return { ...base, message: 'A record with these values already exists', extensions: { code: 'CONFLICT' } };
  }
  // The last line: input the checks before the database let through. Logged, since each is a check to add.
  const refused = domainErrorFromDatabase(original);
  if (refused) {
    options.logger.warn('the database refused input that the argument checks let through', {
      error: original instanceof Error ? original.message : String(original),
      path: formatted.path,
    });
    return { ...base, message: refused.message, extensions: { code: refused.code, reason: DATABASE_REJECTED_INPUT } };
  }

  // PostgreSQL down or restarting: nothing was done, and the same request may be sent again shortly.
  if (isTransientConnectionError(original)) {
    options.logger.warn('the database is unreachable', {
      error: original instanceof Error ? original.message : String(original),
      path: formatted.path,
    });
    return {
      ...base,
      message: DATABASE_UNAVAILABLE_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'DATABASE_UNAVAILABLE', retryable: true },
    };
  }

  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  const isGraphQLOwnError = !(original instanceof Error) || original instanceof GraphQLError;
  if (code && isGraphQLOwnError && INPUT_CODES.has(code)) {
    // A refusal by a limit (src/api/limits) names it in `reason` and its value in `limit`: keep both.
    const given = formatted.extensions ?? {};
    const reason = typeof given.reason === 'string' ? given.reason : code !== 'BAD_USER_INPUT' ? code : undefined;
    const limit = typeof given.limit === 'number' ? { limit: given.limit } : {};
    return { ...base, extensions: { code: 'BAD_USER_INPUT', ...(reason ? { reason } : {}), ...limit } };
  }
  if (code && isGraphQLOwnError && CONTRACT_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    return { ...base, extensions: { code, ...(formatted.extensions?.details ? { details: formatted.extensions.details } : {}) } };
  }

  const cause = original instanceof Error ? original : error;
  options.logger.error('unexpected error in a GraphQL operation', {
    error: cause instanceof Error ? cause.message : String(cause),
    stack: cause instanceof Error ? cause.stack : undefined,
    path: formatted.path,
  });
  if (options.exposeInternalErrors) {
    return {
      ...base,
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: cause instanceof Error ? cause.stack?.split('\n') : undefined },
    };
  }
  return { message: GENERIC_ERROR_MESSAGE, path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
