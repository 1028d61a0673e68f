import { DomainError } from '../shared/errors';

/** Why the API reports an input error the database found rather than the checks before it (see the API's error mapping). */
export const DATABASE_REJECTED_INPUT = 'DATABASE_REJECTED_INPUT';

/**
 * PostgreSQL errors that mean the caller's values were wrong, as the contract's codes. The messages say what kind of
 * value was refused and never carry SQL, table names or the value. Anything else (deadlocks, lost connections,
 * syntax errors of our own) stays unexpected.
 */
const BY_SQLSTATE: Readonly<Record<string, { code: DomainError['code']; message: string }>> = {
  '22P02': { code: 'BAD_USER_INPUT', message: 'A value does not have the form its field needs (an id that is not a UUID, a number that is not one)' },
  // MikroORM inlines parameters into the statement text, where a NUL byte breaks the wire message itself.
  '08P01': { code: 'BAD_USER_INPUT', message: 'A text value holds a character that cannot be stored (such as a NUL byte)' },
  '22021': { code: 'BAD_USER_INPUT', message: 'A text value holds a character that cannot be stored (such as a NUL byte)' },
  '22003': { code: 'BAD_USER_INPUT', message: 'A number is out of the range that can be stored' },
  '22001': { code: 'BAD_USER_INPUT', message: 'A text value is too long to be stored' },
  '22007': { code: 'BAD_USER_INPUT', message: 'A date-time value does not have a valid form' },
  '22008': { code: 'BAD_USER_INPUT', message: 'A date-time value is out of range' },
  '23514': { code: 'CONFLICT', message: 'The change would break a rule the records must keep (such as more reserved than on hand)' },
};

/** The SQLSTATE of a pg error or of a MikroORM DriverException wrapping one; undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A DomainError for a database error caused by the input, or null when the error is not the caller's. */
export function domainErrorFromDatabase(error: unknown): DomainError | null {
  const state = sqlStateOf(error);
  const known = state ? BY_SQLSTATE[state] : undefined;
  return known ? new DomainError(known.code, known.message) : null;
}
