/**
 * Labels of the per-operation metrics, bounded: operation names come from clients, so anything could arrive.
 * A name is kept when it is a plain GraphQL name of at most 64 characters and fewer than `cap` names were seen;
 * anonymous operations are "anonymous", requests that never resolved to an operation "unknown", the rest "other".
 */
export const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly cap = MAX_OPERATION_NAMES) {}

  label(name: string | null | undefined, resolved: boolean): string {
    if (!resolved) return 'unknown';
    if (!name) return 'anonymous';
    if (!NAME.test(name)) return 'other';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.cap) return 'other';
    this.seen.add(name);
    return name;
  }
}

export const OPERATION_TYPES: ReadonlySet<string> = new Set(['query', 'mutation', 'subscription']);

export function operationTypeLabel(type: string | null | undefined): string {
  return type && OPERATION_TYPES.has(type) ? type : 'unknown';
}

const OUTCOME_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
]);

/** "ok", or the code of the first error (one of the contract's codes; anything else is "OTHER_ERROR"). */
export function outcomeLabel(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string {
  if (!errors || errors.length === 0) return 'ok';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && OUTCOME_CODES.has(code) ? code : 'OTHER_ERROR';
}
