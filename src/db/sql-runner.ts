import type { EntityManager } from '@mikro-orm/postgresql';
import type { QueryResultRow } from 'pg';
import { type NamedStatement, type Queryable, runStatement } from './pg-pool';

/**
 * Runs one named statement (`$1`, `$2`… placeholders) and returns its rows, on whatever connection the caller reads
 * from: the hot paths' pg pool (prepared, planned once per connection) or a MikroORM em, inside its transaction
 * when it has one. Pass arrays as `sqlArray` literals: they bind the same way on both.
 */
export type SqlRunner = <Row extends object>(statement: NamedStatement, values: unknown[]) => Promise<Row[]>;

export const pgRunner =
  (db: Queryable): SqlRunner =>
  <Row extends object>(statement: NamedStatement, values: unknown[]) =>
    runStatement<Row & QueryResultRow>(db, statement, values);

/** MikroORM binds `?` positionally (inlined): each `$n` becomes a `?` with its value, so a `$n` may appear twice. */
export const emRunner =
  (em: EntityManager): SqlRunner =>
  <Row extends object>(statement: NamedStatement, values: unknown[]) => {
    if (statement.text.includes('?')) throw new Error(`Statement ${statement.name} holds a "?", which MikroORM would bind`);
    const ordered: unknown[] = [];
    const text = statement.text.replace(/\$(\d+)/g, (_, n: string) => {
      ordered.push(values[Number(n) - 1]);
      return '?';
    });
    return em.execute<Row[]>(text, ordered);
  };
