import { GraphQLError } from 'graphql';

/** The limits this API enforces, as `extensions.reason` of the BAD_USER_INPUT error that refuses a request. */
export type LimitReason =
  | 'MAX_QUERY_DEPTH'
  | 'MAX_QUERY_COST'
  | 'MAX_QUERY_ALIASES'
  | 'MAX_QUERY_TOKENS'
  | 'MAX_REQUEST_BYTES'
  | 'MAX_PAGE_SIZE'
  | 'MAX_SUBSCRIPTIONS_PER_SOCKET'
  | 'MAX_SUBSCRIPTIONS_PER_SUBJECT'
  | 'BATCHING_DISABLED'
  | 'INTROSPECTION_DISABLED';

/** A refusal by a limit: BAD_USER_INPUT, the limit's name in `reason`, its value in `limit`. */
export function limitError(reason: LimitReason, message: string, limit?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', reason, ...(limit !== undefined ? { limit } : {}) },
  });
}

/** The same refusal as a plain response body, for answers given before GraphQL runs (express middleware). */
export function limitErrorBody(reason: LimitReason, message: string, limit?: number) {
  return { errors: [limitError(reason, message, limit).toJSON()] };
}
