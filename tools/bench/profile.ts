import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './environment';

/**
 * With `--cpu-prof DIR` the services run under V8's sampling profiler (node --cpu-prof) and write a .cpuprofile
 * each when they stop. This summarises one: where the process spent its CPU, by package or project file (self time),
 * and the hottest functions. Open the file in Chrome DevTools or speedscope for the full picture.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  sampledSeconds: number;
  /** Self time by where the code lives: a package under node_modules, a project file, node's internals, GC, idle. */
  byPlace: Array<{ place: string; percent: number }>;
  topFunctions: Array<{ fn: string; percent: number }>;
  /** Inclusive time of the project's own functions (callers included once per sample). */
  projectInclusive: Array<{ fn: string; percent: number }>;
}

function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (clean.startsWith('node:') || !clean.startsWith('/')) return 'node internals';
  return path.relative(projectRoot, clean);
}

/** The monotonic clock V8's profiler stamps its samples with (CLOCK_MONOTONIC, in µs), for choosing a window. */
export const profilerClockMicros = () => Number(process.hrtime.bigint() / 1000n);

/** `window`: only samples taken between these two profilerClockMicros() readings (the measured phases, not start-up). */
export function summariseProfile(file: string, window: { from: number; to: number } | null = null, top = 12): ProfileSummary | null {
  if (!existsSync(file)) return null;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  let sampledMicros = profile.endTime - profile.startTime;
  if (profile.samples?.length) {
    let t = profile.startTime;
    let first = Infinity;
    let last = -Infinity;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas?.[i] ?? 0;
      if (window && (t < window.from || t > window.to)) return;
      first = Math.min(first, t);
      last = Math.max(last, t);
      hits.set(id, (hits.get(id) ?? 0) + 1);
    });
    sampledMicros = last > first ? last - first : 0;
  } else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  const total = [...hits.values()].reduce((s, n) => s + n, 0);
  const idle = [...hits].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, n]) => s + n, 0);
  const busy = Math.max(1, total - idle);

  const place = new Map<string, number>();
  const fn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, n] of hits) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const where = placeOf(url, functionName);
    place.set(where, (place.get(where) ?? 0) + n);
    const name = `${functionName || '(anonymous)'} ${url ? `${where}:${lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + n);
    // Walk up the stack once per sample, counting each project frame once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const p = placeOf(f.url, f.functionName);
      if (!f.url || !/^(dist\/)?(src|worker)\//.test(p)) continue;
      const key = `${f.functionName || '(anonymous)'} ${p}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + n);
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => ({ k, percent: Math.round((n / busy) * 1000) / 10 }));
  return {
    file,
    sampledSeconds: Math.round((sampledMicros / 1e6) * 10) / 10,
    byPlace: ranked(place).map(({ k, percent }) => ({ place: k, percent })),
    topFunctions: ranked(fn).map(({ k, percent }) => ({ fn: k, percent })),
    projectInclusive: ranked(inclusive).map(({ k, percent }) => ({ fn: k, percent })),
  };
}

export function formatProfile(name: string, s: ProfileSummary): string {
  const lines = [`CPU profile of the ${name} during the measured phases (${s.sampledSeconds} s; % of its busy, non-idle samples): ${s.file}`];
  lines.push('  self time by place:    ' + s.byPlace.map((p) => `${p.place} ${p.percent}%`).join(', '));
  lines.push('  hottest functions (self):');
  for (const f of s.topFunctions) lines.push(`    ${String(f.percent).padStart(5)}%  ${f.fn}`);
  lines.push('  project functions (inclusive):');
  for (const f of s.projectInclusive) lines.push(`    ${String(f.percent).padStart(5)}%  ${f.fn}`);
  return lines.join('\n');
}
