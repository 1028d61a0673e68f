/** Small numeric helpers for the benchmark: a seeded PRNG, percentiles, formatting. */

/** mulberry32: a tiny seeded PRNG, so two runs with one seed send the same orders. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (p99 of 5000 values is the 4950th smallest). Null when there is nothing to describe. */
export function distribution(values: number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const sum = sorted.reduce((s, v) => s + v, 0);
  return { count: sorted.length, mean: sum / sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}

export const round = (value: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function roundDistribution(d: Distribution | null, digits = 1): Distribution | null {
  if (!d) return null;
  return {
    count: d.count,
    mean: round(d.mean, digits),
    p50: round(d.p50, digits),
    p90: round(d.p90, digits),
    p99: round(d.p99, digits),
    max: round(d.max, digits),
  };
}

export const ms = (value: number | null | undefined) => (value == null ? '—' : `${value >= 100 ? Math.round(value) : round(value, 1)} ms`);

export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
