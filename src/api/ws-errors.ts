import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorFormatOptions, formatApiError } from './errors';

/**
 * graphql-ws hands over raw graphql-js errors: validation and parse errors carry no code there (Apollo adds
 * GRAPHQL_VALIDATION_FAILED over HTTP). Give them that code, then format like HTTP errors.
 */
export function formatWebSocketErrors(errors: readonly GraphQLError[], options: ErrorFormatOptions): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error.toJSON();
    const isRequestError = !error.originalError && !error.path && formatted.extensions?.code === undefined;
    const withCode = isRequestError ? { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } } : formatted;
    return formatApiError(withCode, error, options);
  });
}
