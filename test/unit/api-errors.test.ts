import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE_MESSAGE, formatApiError, GENERIC_ERROR_MESSAGE } from '../../src/api/errors';
import { conflict, DomainError } from '../../src/shared/errors';
import type { Logger } from '../../src/shared/logger';

function recordingLogger() {
  const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const log = (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields });
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  return { logger, lines };
}

/** What graphql-js and Apollo hand to formatError for an error thrown in a resolver. */
const fromResolver = (error: Error) => {
  const located = new GraphQLError(error.message, { originalError: error, path: ['adjustStock'] });
  return { formatted: { ...located.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error: located };
};

describe('error mapping', () => {
  it('keeps a domain error’s code, message and details', () => {
    const { formatted, error } = fromResolver(conflict('Only 2 left', { available: 2 }));
    const { logger, lines } = recordingLogger();
    expect(formatApiError(formatted, error, { logger, exposeInternalErrors: false })).toMatchObject({
      message: 'Only 2 left',
      path: ['adjustStock'],
      extensions: { code: 'CONFLICT', details: { available: 2 } },
    });
    expect(lines).toEqual([]);
  });

  it('says the database is unavailable, and that a retry may work, when PostgreSQL cannot be reached', () => {
    for (const cause of [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      const { formatted, error } = fromResolver(cause);
      const { logger, lines } = recordingLogger();
      const result = formatApiError(formatted, error, { logger, exposeInternalErrors: false });
      expect(result).toMatchObject({
        message: DATABASE_UNAVAILABLE_MESSAGE,
        extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'DATABASE_UNAVAILABLE', retryable: true },
      });
      expect(JSON.stringify(result)).not.toMatch(/10\.0\.0\.5|administrator/);
      expect(lines).toHaveLength(1);
    }
  });

  it('masks and logs anything unexpected: no message, stack or SQL reaches the caller', () => {
    const { formatted, error } = fromResolver(new Error('insert into "stock_level" ... violates check constraint'));
    const { logger, lines } = recordingLogger();
    const result = formatApiError(formatted, error, { logger, exposeInternalErrors: false });
    expect(result).toEqual({
      message: GENERIC_ERROR_MESSAGE,
      path: ['adjustStock'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toMatch(/stock_level|stack/);
    expect(lines[0].fields?.error).toMatch(/violates check constraint/);
    expect(lines[0].fields?.stack).toBeDefined();
  });

  it('shows unexpected errors with their stack in development', () => {
    const { formatted, error } = fromResolver(new Error('boom'));
    const result = formatApiError(formatted, error, { logger: recordingLogger().logger, exposeInternalErrors: true });
    expect(result.message).toBe('boom');
    expect(result.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result.extensions?.stacktrace).toBeInstanceOf(Array);
  });

  it('turns request errors into BAD_USER_INPUT and keeps the graphql-js code as the reason', () => {
    const validation = new GraphQLError('Field "nope" is not defined', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const result = formatApiError(validation.toJSON(), validation, { logger: recordingLogger().logger, exposeInternalErrors: false });
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    const argumentValidation = Object.assign(new Error('Argument Validation Error'), { name: 'ArgumentValidationError' });
    const { formatted, error } = fromResolver(argumentValidation);
    expect(formatApiError(formatted, error, { logger: recordingLogger().logger, exposeInternalErrors: false }).extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('never lets a code outside the contract through', () => {
    const odd = new GraphQLError('odd', { extensions: { code: 'SOMETHING_ELSE' } });
    const result = formatApiError(odd.toJSON(), odd, { logger: recordingLogger().logger, exposeInternalErrors: false });
    expect(result.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(new DomainError('NOT_FOUND', 'x').code).toBe('NOT_FOUND');
  });
});
