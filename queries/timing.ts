import { promql } from './commonjs.js';
import { profileTimings, required, type MetricsProfile, type Timing, type TimingName } from './profile.js';
import { guardedRatio, maxBy, promQuery, summedRate, toSeconds, withoutNaN } from './promql.js';
import { grouping, profileOf, selector, type PromQuery, type QueryOptions } from './selectors.js';

/** A compute stage: Triton reports input, infer and output; the batcher only infer. */
export type ComputeStage = 'input' | 'infer' | 'output';

const timingLabels: Record<TimingName, string> = {
  latency: 'request latency',
  firstResponse: 'first response time',
  queueTime: 'queue time',
  computeInput: 'compute input time',
  computeInfer: 'compute infer time',
  computeOutput: 'compute output time',
};

/** The profile's description of a duration; throws when the server does not export it. */
export function timingOf(profile: MetricsProfile, name: TimingName): Timing {
  return required(profile, profileTimings(profile)[name], timingLabels[name]);
}

/**
 * Mean duration in seconds per observation, per model by default:
 * `sum(rate(total)) / (sum(rate(count)) > 0)`, the exact mean over the window.
 */
export function averageDuration(name: TimingName, options: QueryOptions = {}): PromQuery {
  const timing = timingOf(profileOf(options), name);
  const by = grouping(options, ['model']);
  const mean = guardedRatio(summedRate(timing.total, 'model', by, options), summedRate(timing.count, 'model', by, options));
  return promQuery(toSeconds(mean, timing.unit), by);
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
  const buckets = summedRate({ name: `${source.name}_bucket` }, 'model', ['le', ...by], options, ['le']);
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
