/**
 * `('A','B',…)` for `status in …`, from an enum's own values (never input, so they are inlined, not bound). Status
 * sets are named once beside their enum (DEMAND_STATUSES, OPEN_SHIPMENT_STATUSES, …) and turned into SQL here.
 */
export const sqlStatusList = <S extends string>(statuses: readonly S[]): string => `(${statuses.map((s) => `'${s}'`).join(',')})`;

/**
 * A Postgres array literal for one bound parameter (`?::text[]`, `?::uuid[]`). Knex expands a JS array bound to
 * `?` into a list of parameters, which `= any(…)` cannot take, so arrays travel as one literal string: the one way
 * arrays are passed, on MikroORM and on the pg pool alike.
 */
export function sqlArray(values: Iterable<string | number>): string {
  const items = [...values].map((v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`);
  return `{${items.join(',')}}`;
}
