import { Client } from 'pg';
import { backlog } from '../../src/scripts/bench/database';
import { sleep } from '../../src/scripts/bench/stats';

export async function withDb<T>(url: string, task: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url, application_name: 'oms-checks' });
  await db.connect();
  try {
    return await task(db);
  } finally {
    await db.end();
  }
}

/** Waits until nothing is owed (no PENDING order, no allocation request, no undelivered outbox message). */
export async function waitForQuiet(databaseUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const b = await withDb(databaseUrl, backlog);
      if (b.pendingOrders === 0 && b.allocationRequests === 0 && b.undeliveredOutbox === 0) return true;
    } catch {
      // the database may still be coming back
    }
    await sleep(200);
  }
  return false;
}
