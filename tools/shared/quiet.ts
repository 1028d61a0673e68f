import { Client } from 'pg';
import { backlog } from '../bench/database';
import { sleep } from '../bench/stats';

export async function withDb<T>(url: string, task: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url, application_name: 'oms-checks' });
  await db.connect();
  try {
    return await task(db);
  } finally {
    await db.end();
  }
}

/**
 * Waits until nothing is owed (no PENDING order, no allocation request, no undelivered outbox message). Gives up
 * when the backlog has not shrunk for `stallMs` (nobody is working it off), or after `timeoutMs` in all.
 */
export async function waitForQuiet(databaseUrl: string, stallMs: number, timeoutMs = stallMs * 8): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let smallest = Infinity;
  let progressAt = Date.now();
  while (Date.now() < deadline && Date.now() - progressAt < stallMs) {
    try {
      const b = await withDb(databaseUrl, backlog);
      const owed = b.pendingOrders + b.allocationRequests + b.undeliveredOutbox;
      if (owed === 0) return true;
      if (owed < smallest) ((smallest = owed), (progressAt = Date.now()));
    } catch {
      // the database may still be coming back
    }
    await sleep(200);
  }
  return false;
}
