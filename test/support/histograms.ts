/**
 * Histograms for the evaluation tests: series over every bucket bound a server exports, written
 * as that server prints them and as each Prometheus engine stores them, and the quantile
 * Prometheus's `histogram_quantile` gives for a known distribution.
 */
import type { Engine } from './engines.js';
import type { WorldSeries } from './world.js';

/** Observations per second in each bucket (not cumulative), keyed by the bucket's upper bound. */
export type Observed = ReadonlyMap<number, number>;

/** A histogram's observations by bucket and the sum of their values. */
export interface ObservedHistogram {
  readonly buckets: Observed;
  readonly sum: number;
}

/** How a server prints a bucket bound: Python's prometheus_client `1.0`, Rust and C++ `1`. */
export type BoundText = (bound: number) => string;

export const pythonBound: BoundText = (bound) => (Number.isInteger(bound) ? `${bound}.0` : String(bound));
export const plainBound: BoundText = (bound) => String(bound);

/** `{ 0.1: 4, 0.25: 8 }` as {@link Observed}, checking that every bound is one the server exports. */
export function observed(bounds: readonly number[], perBucket: Readonly<Record<string, number>>): Observed {
  const map = new Map<number, number>();
  for (const [bound, rate] of Object.entries(perBucket)) {
    const value = Number(bound);
    if (!bounds.includes(value)) throw new Error(`${bound} is not a bucket bound the server exports`);
    map.set(value, rate);
  }
  return map;
}

/**
 * The series of one histogram: a cumulative `_bucket` for every bound (`le` as `engine` stores
 * the server's text), `+Inf`, `_count` and `_sum`, as counters growing at the given rates.
 */
export function histogramSeries(
  engine: Engine,
  name: string,
  labels: Record<string, string>,
  bounds: readonly number[],
  text: BoundText,
  buckets: Observed,
  sumPerSecond: number,
): WorldSeries[] {
  let cumulative = 0;
  const series = bounds.map((bound) => {
    cumulative += buckets.get(bound) ?? 0;
    return { name: `${name}_bucket`, labels: { ...labels, le: engine.bound(text(bound)) }, rate: cumulative };
  });
  return [
    ...series,
    { name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, rate: cumulative },
    { name: `${name}_count`, labels, rate: cumulative },
    { name: `${name}_sum`, labels, rate: sumPerSecond },
  ];
}

/** The sum of several distributions, bucket by bucket. */
export function combined(...distributions: readonly Observed[]): Observed {
  const sum = new Map<number, number>();
  for (const distribution of distributions) {
    for (const [bound, rate] of distribution) sum.set(bound, (sum.get(bound) ?? 0) + rate);
  }
  return sum;
}

/** Observations per second of a distribution. */
export function countOf(distribution: Observed): number {
  return [...distribution.values()].reduce((sum, rate) => sum + rate, 0);
}

/**
 * What Prometheus's `histogram_quantile(q, ...)` returns for a distribution over `bounds`: the
 * bucket holding rank q x count, interpolated linearly from its lower bound (0 for the first).
 */
export function histogramQuantile(quantile: number, bounds: readonly number[], distribution: Observed): number {
  const total = countOf(distribution);
  // No observations: Prometheus reads NaN, which the panels drop.
  if (total === 0) return Number.NaN;
  const rank = quantile * total;
  let below = 0;
  for (const [index, bound] of bounds.entries()) {
    const inside = distribution.get(bound) ?? 0;
    if (below + inside >= rank && inside > 0) {
      const lower = index === 0 ? 0 : (bounds[index - 1] as number);
      return lower + (bound - lower) * ((rank - below) / inside);
    }
    below += inside;
  }
  throw new Error(`quantile ${quantile} falls past the last bound`);
}
