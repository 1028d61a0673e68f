import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/**
 * The hot paths' own connection pool, beside MikroORM's. MikroORM's `execute` inlines parameters into the SQL text,
 * so PostgreSQL plans every statement afresh; a named statement here is parsed and planned once per connection.
 */
export type Queryable = Pool | PoolClient;

/** A statement with a stable name: PostgreSQL prepares it once per connection and reuses the plan. */
export interface NamedStatement {
  name: string;
  text: string;
}

export function createPgPool(databaseUrl: string, max = 10, options: { idleTimeoutMillis?: number; applicationName?: string } = {}): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: options.idleTimeoutMillis,
    application_name: options.applicationName,
  });
  // An idle client's connection error (PostgreSQL restarted) must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs a named (prepared) statement and returns its rows, typed by the caller's row type. */
export async function runStatement<Row extends QueryResultRow>(db: Queryable, statement: NamedStatement, values: unknown[]): Promise<Row[]> {
  const result = await db.query<Row>({ name: statement.name, text: statement.text, values });
  return result.rows;
}

/** One transaction on one pooled connection: committed when `work` resolves, rolled back when it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  isolation: 'read committed' | 'repeatable read' = 'read committed',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(`begin isolation level ${isolation}`);
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped from the pool instead of being handed out again.
    await client.query('rollback').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}
