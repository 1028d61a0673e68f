import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './environment';

/**
 * The deliveryOptions row: runs tools/bench-options (`npm run bench:options`, its own API, worker and database) as a
 * child process and reads the JSON document it prints, so that tool stays the one home of that measurement.
 */

export interface DeliveryOptionsFigures {
  rate: number;
  seconds: number;
  requests: number;
  errors: number;
  answeredPerSecond: number;
  p50: number;
  p99: number;
}

/**
 * The figures of the first open-loop `deliveryOptions` result in the JSON document the tool prints first (its
 * `results` hold a one-at-a-time phase, then one entry per rate), or null when there is none.
 */
export function parseOptionsOutput(stdout: string): DeliveryOptionsFigures | null {
  const start = stdout.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  for (let i = start; i < stdout.length; i++) {
    if (stdout[i] === '{') depth++;
    else if (stdout[i] === '}' && --depth === 0) {
      try {
        const doc = JSON.parse(stdout.slice(start, i + 1));
        const result = (doc.results ?? []).find((r: any) => r.query === 'deliveryOptions' && typeof r.rate === 'number');
        if (!result || typeof result.latencyMs?.p99 !== 'number') return null;
        return {
          rate: result.rate,
          seconds: doc.seconds ?? 0,
          requests: result.requests,
          errors: result.errors ?? 0,
          answeredPerSecond: result.answeredPerSecond,
          p50: result.latencyMs.p50,
          p99: result.latencyMs.p99,
        };
      } catch {
        return null;
      }
    }
  }
  return null;
}

let running: ChildProcess | null = null;

/** On the benchmark's own SIGINT/SIGTERM: the tool stops its API and worker and drops its database on SIGTERM. */
export function stopDeliveryOptions(): void {
  if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
}

export function runDeliveryOptions(rate: number, seconds: number, log: (line: string) => void): Promise<DeliveryOptionsFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        require.resolve('@swc-node/register'),
        path.join(projectRoot, 'tools', 'bench-options', 'main.ts'),
        '--queries',
        'deliveryOptions',
        '--rates',
        String(rate),
        '--seconds',
        String(seconds),
        '--one-at-a-time',
        '0',
      ],
      { cwd: projectRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      for (const line of c.toString().split('\n')) if (line.trim()) log(`  ${line}`);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      running = null;
      const figures = parseOptionsOutput(stdout);
      if (figures) resolve({ ...figures, seconds });
      else reject(new Error(`bench:options exited ${code} without figures: ${(stderr || stdout).slice(-400)}`));
    });
  });
}
