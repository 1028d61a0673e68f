import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorFormatOptions, formatApiError } from './errors';

/**
 * graphql-ws hands over raw graphql-js errors: validation and parse errors carry no code there (Apollo adds
 * GRAPHQL_VALIDATION_FAILED over HTTP). Give them that code, then format like HTTP errors.
 */
export function formatWebSocketErrors(errors: readonly GraphQLError[], options: ErrorFormatOptions): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error.toJSON();
    // No path: the operation never ran (parse, validation, variables that do not fit their types, which carry the
    // scalar's or enum's own error as originalError). Resolver errors always have a path.
    const isRequestError = !error.path && formatted.extensions?.code === undefined;
    const withCode = isRequestError ? { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } } : formatted;
    return formatApiError(withCode, error, options);
  });
}
