/**
 * Prometheus's documented `increase()` arithmetic (promql/functions.go, extrapolatedRate), to
 * compute by hand what a panel reads across a counter reset: the samples in the window (closed
 * on Prometheus 2, left-open on 3), reset correction, and extrapolation to the window's edges.
 */
import type { Engine } from './engines.js';
import type { Point } from './world.js';

/** `increase(counter[end - start])` evaluated at `end` on `engine`; `undefined` with fewer than two samples. */
export function prometheusIncrease(engine: Engine, points: readonly Point[], start: number, end: number): number | undefined {
  const inWindow = points.filter(({ t, v }) => v !== undefined && (engine.major >= 3 ? t > start : t >= start) && t <= end) as {
    t: number;
    v: number;
  }[];
  const first = inWindow[0];
  const last = inWindow.at(-1);
  if (!first || !last || inWindow.length < 2) return undefined;
  let result = last.v - first.v;
  for (let index = 1; index < inWindow.length; index += 1) {
    const previous = inWindow[index - 1]!.v;
    if (inWindow[index]!.v < previous) result += previous;
  }
  const sampledInterval = last.t - first.t;
  const average = sampledInterval / (inWindow.length - 1);
  const threshold = average * 1.1;
  let toStart = first.t - start;
  const toEnd = end - last.t;
  // A counter is never extrapolated below zero.
  if (result > 0 && first.v >= 0) toStart = Math.min(toStart, sampledInterval * (first.v / result));
  const extrapolated =
    sampledInterval + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
  return result * (extrapolated / sampledInterval);
}

/** `rate(counter[window])` at `end`. */
export function prometheusRate(engine: Engine, points: readonly Point[], windowSeconds: number, end: number): number | undefined {
  const increase = prometheusIncrease(engine, points, end - windowSeconds, end);
  return increase === undefined ? undefined : increase / windowSeconds;
}
