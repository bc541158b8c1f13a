import { promql } from './commonjs.js';
import {
  bucketsOf,
  isApproximate,
  profileTimings,
  required,
  type ApproximateTiming,
  type MetricsProfile,
  type Timing,
  type TimingName,
} from './profile.js';
import { guardedRatio, maxBy, promQuery, summedRate, toSeconds, withoutNaN, type Expression } from './promql.js';
import { grouping, profileOf, selector, type PromQuery, type QueryOptions } from './selectors.js';

/** A compute stage: Triton reports input, infer and output; the batcher only infer. */
export type ComputeStage = 'input' | 'infer' | 'output';

const timingLabels: Record<TimingName, string> = {
  latency: 'request latency',
  firstResponse: 'time to first token (first response)',
  interToken: 'inter-token latency',
  queueTime: 'queue time',
  prefill: 'prefill time',
  decode: 'decode time',
  computeInput: 'compute input time',
  computeInfer: 'compute infer time',
  computeOutput: 'compute output time',
};

/** The profile's description of a duration, an approximation included; throws when the server has neither. */
export function durationOf(profile: MetricsProfile, name: TimingName): Timing | ApproximateTiming {
  return required(profile, profileTimings(profile)[name], timingLabels[name]);
}

/** The profile's measured duration; throws when the server does not measure it (an approximation is not a measurement). */
export function timingOf(profile: MetricsProfile, name: TimingName): Timing {
  const timing = durationOf(profile, name);
  if (isApproximate(timing)) {
    throw new Error(
      `profile "${profile.id}" (${profile.displayName}) has no ${timingLabels[name]} metric; only an approximation (${timing.approximation})`,
    );
  }
  return timing;
}

/** Mean seconds per observation of one measured timing: `sum(rate(total)) / (sum(rate(count)) > 0)`. */
function meanSeconds(timing: Timing, by: string[], options: QueryOptions): Expression {
  const mean = guardedRatio(summedRate(timing.total, 'model', by, options), summedRate(timing.count, 'model', by, options));
  return toSeconds(mean, timing.unit);
}

/**
 * Mean duration in seconds per observation, per model by default:
 * `sum(rate(total)) / (sum(rate(count)) > 0)`, the exact mean over the window. An approximation
 * is the sum of its parts' means.
 */
export function averageDuration(name: TimingName, options: QueryOptions = {}): PromQuery {
  const timing = durationOf(profileOf(options), name);
  const by = grouping(options, ['model']);
  if (!isApproximate(timing)) return promQuery(meanSeconds(timing, by, options), by);
  const [first, ...rest] = timing.parts.map((part) => meanSeconds(part, by, options));
  if (!first) throw new Error(`the approximation of ${timingLabels[name]} has no parts`);
  return promQuery(
    rest.reduce((sum, part) => promql.add(sum, part), first),
    by,
  );
}

/** Checks that `quantile` lies strictly between 0 and 1. */
export function checkQuantile(quantile: number): number {
  if (!Number.isFinite(quantile) || quantile <= 0 || quantile >= 1) {
    throw new RangeError(`quantile ${quantile} is outside (0, 1)`);
  }
  return quantile;
}

/**
 * A duration quantile in seconds. From a histogram: `histogram_quantile(q, sum by (le, ...) (rate(_bucket)))`,
 * exact across instances. From a summary: per-process values that cannot be averaged or summed,
 * so `max by (...)`: the worst instance unless `groupBy` includes `instance`. An idle model (NaN
 * quantiles, no observations) has no value.
 */
export function durationQuantile(name: TimingName, quantile: number, options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const timing = timingOf(profile, name);
  const source = required(profile, timing.quantiles, `${timingLabels[name]} quantile`);
  checkQuantile(quantile);
  const by = grouping(options, ['model']);
  if (source.kind === 'summary') {
    if (!source.quantiles.includes(quantile)) {
      throw new Error(
        `${source.name} exports quantiles ${source.quantiles.join(', ')}, not ${quantile} (see Triton's --metrics-config summary_quantiles)`,
      );
    }
    const series = selector({ name: source.name, matchers: { quantile: String(quantile) } }, 'model', options);
    return promQuery(toSeconds(maxBy(by, withoutNaN(series)), timing.unit), by);
  }
  const buckets = summedRate(bucketsOf(source), 'model', ['le', ...by], options, ['le']);
  return promQuery(toSeconds(withoutNaN(promql.histogramQuantile(quantile, buckets)), timing.unit), by);
}

/** Mean end-to-end request latency in seconds (duration counter / request counter). */
export function averageLatency(options: QueryOptions = {}): PromQuery {
  return averageDuration('latency', options);
}

/** A request latency quantile in seconds (Triton: summary, worst instance; batcher: histogram). */
export function latencyQuantile(quantile: number, options: QueryOptions = {}): PromQuery {
  return durationQuantile('latency', quantile, options);
}

/** Mean time a request waits in the queue before its batch runs, in seconds. */
export function queueTime(options: QueryOptions = {}): PromQuery {
  return averageDuration('queueTime', options);
}

const stageTimings: Record<ComputeStage, TimingName> = {
  input: 'computeInput',
  infer: 'computeInfer',
  output: 'computeOutput',
};

/** Mean compute time of one stage in seconds, per request on Triton, per batch on the batcher. */
export function computeTime(stage: ComputeStage = 'infer', options: QueryOptions = {}): PromQuery {
  return averageDuration(stageTimings[stage], options);
}
