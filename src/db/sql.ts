/**
 * A Postgres array literal for one bound parameter (`?::text[]`, `?::uuid[]`). Knex expands a JS array bound to
 * `?` into a list of parameters, which `= any(…)` cannot take, so arrays travel as one literal string.
 */
export function sqlArray(values: Iterable<string>): string {
  const items = [...values].map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`);
  return `{${items.join(',')}}`;
}
