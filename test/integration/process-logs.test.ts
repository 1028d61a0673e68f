import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { initOrm } from '../../src/db/init-orm';
import { createLogger } from '../../src/shared/logger';
import { createTestEnvironment } from '../support/test-env';

const root = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** Runs an entry point from the TypeScript sources; resolves with its exit code and its stderr as parsed JSON lines. */
async function runEntry(entry: string, env: Record<string, string>): Promise<{ code: number; lines: any[] }> {
  const result = await run(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    timeout: 30_000,
  }).then(
    (ok) => ({ code: 0, stderr: ok.stderr }),
    (failed) => ({ code: failed.code as number, stderr: failed.stderr as string }),
  );
  const lines = result.stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
  return { code: result.code, lines };
}

describe('start-up failures are JSON log lines too', () => {
  // An unreachable database is waited for (test/integration/process-faults.test.ts); a refusal is final.
  it('the API is refused by its database: one JSON error line, exit 1', async () => {
    const { code, lines } = await runEntry('src/api/main.ts', { DATABASE_URL: 'postgres://no_such_role_oms@127.0.0.1:5432/oms', PORT: '0' });
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatchObject({ level: 'error', name: 'api-main', message: 'API failed to start' });
    expect(lines.at(-1).error).toMatch(/no_such_role_oms/);
  });

  it('the worker and start-all refuse a bad configuration with a JSON line naming the variable', async () => {
    for (const [entry, name] of [
      ['worker/main.ts', 'worker'],
      ['src/scripts/start-all.ts', 'start-all'],
    ]) {
      const { code, lines } = await runEntry(entry, { ALLOCATION_BATCH_SIZE: '0' });
      expect(code, entry).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', name });
      expect(lines[0].error).toMatch(/ALLOCATION_BATCH_SIZE must be an integer from 1/);
    }
  });
});

describe('migrations', () => {
  it('log what they did as a JSON line', async () => {
    const env = await createTestEnvironment();
    const lines: any[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter(Boolean)
            .map((line: string) => JSON.parse(line)),
        );
        done();
      },
    });
    try {
      const orm = await initOrm({ databaseUrl: env.config.databaseUrl, logger: createLogger({ logLevel: 'info' }, 'api-main', { destination }) });
      await orm.close(true);
    } finally {
      await env.drop();
    }
    // The test database is a clone of the migrated template: nothing to apply, and the line says so.
    expect(lines).toEqual([expect.objectContaining({ level: 'info', name: 'api-main', message: 'database schema up to date', migrations: [] })]);
  });
});
