import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlRunner } from '../db/sql-runner';
import { REFERENCE_DATA_JSON, ReferenceData, referenceDataFrom, ReferenceDataRows } from './reference-data';

/** What `ReferenceDataCache.column` returns: the version the statement saw, and its rows when they differ from those held. */
export interface ReferenceColumn {
  version: number | string;
  rows: ReferenceDataRows | null;
}

/** The current version: 0 before the first change. */
const VERSION_SQL = `coalesce((select version from reference_data_version where id = 1), 0)`;

/**
 * The reference data (warehouses and lanes, allocation settings, channel defaults) kept in the process, checked
 * against `reference_data_version` by every statement that uses it, at no extra round trip:
 *
 *   const statement = { name: 'my-read', text: `select …, ${ReferenceDataCache.column('$3')} as reference from …` };
 *   const [row] = await run(statement, [a, b, cache.heldVersion]);
 *   const reference = cache.accept(row.reference);   // this statement's snapshot's reference data
 *
 * The column carries the version the statement saw and, only when it differs from the one held, the rows
 * themselves, read in that same statement: so what `accept` returns always belongs to the statement's own
 * snapshot, whichever process changed the data and however many API or worker processes hold a copy. Every writer
 * of these tables calls `bumpReferenceVersion` in its transaction (test/integration/reference-data.test.ts
 * checks that each one does).
 */
export class ReferenceDataCache {
  private held: ReferenceData | null = null;

  /** The version to pass for the column's parameter (−1 while nothing is held). */
  get heldVersion(): number {
    return this.held?.version ?? -1;
  }

  /** A select-list expression (name it yourself); `versionParam` is the placeholder that gets `heldVersion`. */
  static column(versionParam: string): string {
    return `(select json_build_object('version', v.version, 'rows', case when v.version <> ${versionParam}::int8 then ${REFERENCE_DATA_JSON} end)
             from (select ${VERSION_SQL} as version) v)`;
  }

  /** The reference data of the statement that returned `value` (the column above); keeps the newest version seen. */
  accept(value: ReferenceColumn): ReferenceData {
    const version = Number(value.version);
    if (value.rows === null) {
      // The statement saw the version held: the rows held are its rows.
      if (!this.held || this.held.version !== version) throw new Error(`reference data: version ${version} without its rows`);
      return this.held;
    }
    const data = referenceDataFrom(version, value.rows);
    // An older snapshot (a statement that began before a change committed) gets its own rows and leaves the cache.
    if (!this.held || version > this.held.version) this.held = data;
    return data;
  }

  /** The reference data on its own, in one statement (inside the runner's transaction, if it has one). */
  async load(run: SqlRunner): Promise<ReferenceData> {
    const [row] = await run<{ reference: ReferenceColumn }>(REFERENCE_STATEMENT, [this.heldVersion]);
    return this.accept(row.reference);
  }
}

const REFERENCE_STATEMENT = { name: 'reference-data', text: `select ${ReferenceDataCache.column('$1')} as reference` };

/**
 * Marks a change of the reference data: call it in the transaction that changes a warehouse, a lane, the allocation
 * settings or a channel's defaults, after the change (the version row is locked last, so writers never deadlock).
 */
export async function bumpReferenceVersion(em: EntityManager): Promise<void> {
  if (!em.isInTransaction()) throw new Error('bumpReferenceVersion belongs in the transaction of the change');
  await em.execute(
    `insert into reference_data_version (id, version) values (1, 1) on conflict (id) do update set version = reference_data_version.version + 1`,
  );
}
