/**
 * The table of issue #11: one row per target, each with what was measured and a mark. Pure: the phases fill in the
 * figures, these functions judge and format them, so the judging is unit-tested without a run.
 */

/** PASS: at or past the target. SHORT: measured, short of it. INFO: printed for comparison, no target. SKIPPED: not run. */
export type Mark = 'PASS' | 'SHORT' | 'INFO' | 'SKIPPED';

export interface TableRow {
  what: string;
  target: string;
  /** The figure, as printed ('—' when the phase did not run or produced nothing). */
  value: string;
  mark: Mark;
  /** Anything that explains the figure: CPU per order, the rate kept up with, the comparison it was judged on. */
  detail?: string;
}

/** PASS when `value` ≥ `target`; SHORT below it; SKIPPED when nothing was measured. */
export function atLeast(value: number | null | undefined, target: number): Mark {
  if (value == null || !Number.isFinite(value)) return 'SKIPPED';
  return value >= target ? 'PASS' : 'SHORT';
}

/** PASS when `value` ≤ `target`; SHORT above it; SKIPPED when nothing was measured. */
export function atMost(value: number | null | undefined, target: number): Mark {
  if (value == null || !Number.isFinite(value)) return 'SKIPPED';
  return value <= target ? 'PASS' : 'SHORT';
}

/** Every condition must hold for a PASS; a skipped one makes the row SKIPPED. */
export function allOf(...marks: Mark[]): Mark {
  if (marks.length === 0 || marks.includes('SKIPPED')) return 'SKIPPED';
  return marks.every((m) => m === 'PASS' || m === 'INFO') ? 'PASS' : 'SHORT';
}

/**
 * A figure compared with its empty-database twin: `value` may be worse than `baseline` by at most `tolerance`
 * (0.2 = 20%). Higher is better for rates, lower for latencies.
 */
export function withinOf(value: number | null | undefined, baseline: number | null | undefined, tolerance: number, higherIsBetter: boolean): Mark {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline)) return 'SKIPPED';
  return higherIsBetter ? atLeast(value, baseline * (1 - tolerance)) : atMost(value, baseline * (1 + tolerance));
}

/** `value` as a share of `baseline`, in whole percent ("83%"), or '—'. */
export function percentOf(value: number | null | undefined, baseline: number | null | undefined): string {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return '—';
  return `${Math.round((value / baseline) * 100)}%`;
}

/** Whole numbers with a thousands separator, fractions to `digits` places: 1234.5 → "1,234.5". */
export function figure(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const f = 10 ** digits;
  const rounded = Math.round(value * f) / f;
  const [whole, fraction] = String(Math.abs(rounded)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** Wraps `text` at spaces so that no line is longer than `width` (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

const WHAT_WIDTH = 52;
const TARGET_WIDTH = 30;
const VALUE_WIDTH = 26;

/**
 * A plain-text table: mark, what, target, measured; a row's detail on the lines under it. Columns wrap, so the table
 * stays within about 120 characters.
 */
export function formatTable(rows: TableRow[]): string {
  const out: string[] = [];
  const line = (mark: string, what: string, target: string, value: string) =>
    `${mark.padEnd(8)}${what.padEnd(WHAT_WIDTH + 2)}${target.padEnd(TARGET_WIDTH + 2)}${value}`.trimEnd();
  out.push(line('mark', 'what', 'target', 'measured'));
  out.push('-'.repeat(8 + WHAT_WIDTH + 2 + TARGET_WIDTH + 2 + VALUE_WIDTH));
  for (const row of rows) {
    const what = wrap(row.what, WHAT_WIDTH);
    const target = wrap(row.target, TARGET_WIDTH);
    const value = wrap(row.value, VALUE_WIDTH);
    const height = Math.max(what.length, target.length, value.length);
    for (let i = 0; i < height; i++) out.push(line(i === 0 ? row.mark : '', what[i] ?? '', target[i] ?? '', value[i] ?? ''));
    if (row.detail) for (const d of wrap(row.detail, WHAT_WIDTH + TARGET_WIDTH + VALUE_WIDTH)) out.push(`${' '.repeat(10)}${d}`);
  }
  const counts = (['PASS', 'SHORT', 'INFO', 'SKIPPED'] as Mark[])
    .map((m) => [m, rows.filter((r) => r.mark === m).length] as const)
    .filter(([, n]) => n > 0);
  out.push('', counts.map(([m, n]) => `${n} ${m}`).join(', '));
  return out.join('\n');
}
