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

/** The first JSON object in the tool's stdout (it prints one, then a summary line). */
export function parseOptionsOutput(stdout: string): DeliveryOptionsFigures | null {
  const start = stdout.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  for (let i = start; i < stdout.length; i++) {
    if (stdout[i] === '{') depth++;
    else if (stdout[i] === '}' && --depth === 0) {
      try {
        const doc = JSON.parse(stdout.slice(start, i + 1));
        const latency = doc.latencyMs ?? {};
        if (typeof latency.p99 !== 'number') return null;
        return {
          rate: doc.rate, seconds: doc.seconds, requests: doc.requests ?? latency.count, errors: doc.errors ?? 0,
          answeredPerSecond: doc.answeredPerSecond, p50: latency.p50, p99: latency.p99,
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
      ['-r', require.resolve('@swc-node/register'), path.join(projectRoot, 'tools', 'bench-options', 'main.ts'), '--rate', String(rate), '--seconds', String(seconds)],
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
      if (figures) resolve(figures);
      else reject(new Error(`bench:options exited ${code} without figures: ${(stderr || stdout).slice(-400)}`));
    });
  });
}
