/**
 * Service level objectives: what a good request is (the indicator), how many must be good (the
 * objective), and the PromQL of their error ratios, burn rates and budgets. Recording rules,
 * burn-rate alerts and the SLO dashboard are all built from one {@link ServiceLevelObjective}.
 */
import Big from 'big.js';
import { promql } from './commonjs.js';
import { defaultScrapeInterval, minimumWindow } from './durations.js';
import { bucketsOf, required, unitsPerSecond, type MetricsProfile, type Timing } from './profile.js';
import { guardedRatio, oneMinus, promQuery, summedRate, type Expression } from './promql.js';
import { errorRatio } from './requests.js';
import { grouping, windowOf, type LabelFilter, type PromQuery, type QueryOptions } from './selectors.js';
import type { TimingName } from './profile.js';
import { averageDuration, durationQuantile, timingOf } from './timing.js';
import { tritonMetrics } from './triton.js';
import { checkOptions } from './options.js';

/** A request is good when it succeeds. */
export interface AvailabilityIndicator {
  readonly kind: 'availability';
}

/**
 * A request is good when it is faster than `thresholdSeconds`. From a histogram this counts
 * requests (`le` bucket / count). From a summary or an average (Triton) it can only judge time
 * slices: a slice is bad when the statistic exceeds the threshold, whatever its traffic.
 */
export interface LatencyIndicator {
  readonly kind: 'latency';
  /** With a histogram, one of its bucket bounds. */
  readonly thresholdSeconds: number;
  /**
   * Default `latency` (end to end); `firstResponse` (time to first token) and `interToken` read
   * an LLM server's histograms (or Triton's 26.01+ first-response one).
   */
  readonly timing?: TimingName;
  /** Time slices only: the summary quantile, or `average`. Default 0.99, or `average` without a summary. */
  readonly statistic?: number | 'average';
}

export type ServiceLevelIndicator = AvailabilityIndicator | LatencyIndicator;

/** What {@link serviceLevelObjective} takes. */
export interface ServiceLevelObjectiveSpec {
  /** Lowercase a-z, 0-9 and -: the `slo` label of every recorded series and alert. */
  readonly name: string;
  /** Percent of good events (or good time slices), e.g. `99.9`. Read as the decimal you wrote. */
  readonly objective: number;
  readonly indicator: ServiceLevelIndicator;
  /** Default Triton. */
  readonly profile?: MetricsProfile;
  /** Filters of every selector, e.g. the job or one model (`{ label: 'model', value: 'resnet50' }`). Default none. */
  readonly filters?: readonly LabelFilter[];
  /** The budget period. Default `30d`, which the default burn-rate windows assume. */
  readonly period?: string;
  /** One line for people, shown on the dashboard. Default from the indicator. */
  readonly description?: string;
}

/** A checked objective with its decimals computed exactly. */
export interface ServiceLevelObjective {
  readonly name: string;
  readonly description: string;
  readonly indicator: ServiceLevelIndicator;
  readonly profile: MetricsProfile;
  readonly filters: readonly LabelFilter[];
  readonly period: string;
  /** `events` counts requests; `timeslices` counts evaluation intervals (summaries, averages). */
  readonly method: 'events' | 'timeslices';
  /** Labels the series keep: the model, where the profile has one; one budget per model. */
  readonly by: readonly string[];
  /** The objective as a ratio in decimal notation: `"0.999"`. */
  readonly target: string;
  /** 1 - target: `"0.001"`. */
  readonly errorBudget: string;
}

/** The recorded error ratio of every objective and window: `slo:sli_error:ratio_rate{slo, window}`. */
export const sloErrorRatioSeries = 'slo:sli_error:ratio_rate';
/** The recorded 0/1 judgement of each time slice: `slo:sli_error:slice{slo}`. */
export const sloSliceSeries = 'slo:sli_error:slice';

const namePattern = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

/** Checks a spec and computes its target and error budget in decimal arithmetic. */
export function serviceLevelObjective(spec: ServiceLevelObjectiveSpec): ServiceLevelObjective {
  checkOptions('serviceLevelObjective', spec);
  const where = `SLO ${JSON.stringify(spec.name)}`;
  if (!namePattern.test(spec.name)) throw new Error(`${where}: the name must be lowercase a-z, 0-9 and - (at most 64)`);
  if (!Number.isFinite(spec.objective) || spec.objective <= 0 || spec.objective >= 100) {
    throw new Error(`${where}: objective ${spec.objective} is not a percentage between 0 and 100 (e.g. 99.9)`);
  }
  const profile = spec.profile ?? tritonMetrics;
  const period = spec.period ?? '30d';
  windowOf({ window: period });
  // Big reads a number through its shortest decimal text, so 99.9 stays 99.9.
  const target = new Big(spec.objective).div(100);
  const method = spec.indicator.kind === 'latency' ? latencyMethod(profile, spec.indicator, where) : 'events';
  const slo: ServiceLevelObjective = {
    name: spec.name,
    description: spec.description ?? describe(spec.indicator, method, spec.objective, profile),
    indicator: spec.indicator,
    profile,
    filters: spec.filters ?? [],
    period,
    method,
    by: grouping({ profile }, ['model']),
    target: target.toFixed(),
    errorBudget: new Big(1).minus(target).toFixed(),
  };
  if (method === 'timeslices') {
    try {
      sloSliceIndicator(slo);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  }
  return slo;
}

function latencyMethod(profile: MetricsProfile, indicator: LatencyIndicator, where: string): 'events' | 'timeslices' {
  if (!Number.isFinite(indicator.thresholdSeconds) || indicator.thresholdSeconds <= 0) {
    throw new Error(`${where}: latency threshold ${indicator.thresholdSeconds} s is not a positive number`);
  }
  const timing = timingOf(profile, indicator.timing ?? 'latency');
  const source = timing.quantiles;
  if (source?.kind === 'histogram') {
    if (indicator.statistic !== undefined) {
      throw new Error(
        `${where}: a histogram counts requests under the threshold; statistic applies only to summaries and averages`,
      );
    }
    const bounds = source.buckets?.map((bound) => toSeconds(bound, timing.unit));
    if (bounds && !bounds.includes(indicator.thresholdSeconds)) {
      const below = bounds.filter((bound) => bound < indicator.thresholdSeconds).at(-1);
      const above = bounds.find((bound) => bound > indicator.thresholdSeconds);
      const near = [below, above].filter((bound) => bound !== undefined).join(' s or ');
      throw new Error(
        `${where}: ${indicator.thresholdSeconds} s is not a bucket bound of ${source.name}, so no series counts the requests under it; use ${near} s`,
      );
    }
    return 'events';
  }
  return 'timeslices';
}

/** A histogram bound in the metric's unit, in seconds: the threshold an objective names. */
function toSeconds(bound: number, unit: Timing['unit']): number {
  return bound / unitsPerSecond[unit];
}

/** A threshold in seconds, in the metric's unit: the `le` bound that counts it. */
function fromSeconds(seconds: number, unit: Timing['unit']): number {
  return Number((seconds * unitsPerSecond[unit]).toPrecision(15));
}

function describe(
  indicator: ServiceLevelIndicator,
  method: ServiceLevelObjective['method'],
  objective: number,
  profile: MetricsProfile,
): string {
  if (indicator.kind === 'availability') return `${objective} % of requests succeed`;
  if (method === 'events') {
    const timing = indicator.timing ?? 'latency';
    const events =
      timingOf(profile, timing).per === 'token'
        ? 'of output tokens follow the previous one within'
        : timing === 'firstResponse'
          ? 'of requests get their first token within'
          : 'of requests complete within';
    return `${objective} % ${events} ${indicator.thresholdSeconds} s`;
  }
  const statistic =
    indicator.statistic === 'average' ? 'average latency' : `P${Number(new Big(indicator.statistic ?? 0.99).times(100))} latency`;
  return `${objective} % of the time ${statistic} stays within ${indicator.thresholdSeconds} s`;
}

/** Query options of an objective: its profile and filters, no dashboard variables, its grouping. */
function sloQueryOptions(slo: ServiceLevelObjective, window?: string): QueryOptions {
  return { profile: slo.profile, filters: slo.filters, templateVariables: false, groupBy: slo.by, ...(window ? { window } : {}) };
}

/**
 * The histogram bucket matcher for a threshold, in the histogram's unit (Triton's first-response
 * histogram is in milliseconds). Integer bounds are written `1` by most clients and `1.0` by
 * Python's and by Prometheus 3, so both are matched.
 */
function bucketFilter(thresholdSeconds: number, unit: Timing['unit']): LabelFilter {
  const bound = fromSeconds(thresholdSeconds, unit);
  const text = String(bound);
  return Number.isInteger(bound) ? { label: 'le', operator: '=~', value: `${text}(\\.0)?` } : { label: 'le', value: text };
}

/**
 * The judgement of one time slice, 1 (bad) or 0 (good): `statistic > bool threshold`. Without
 * traffic the statistic has no value (a summary's NaN quantiles are dropped, an average has no
 * sample), so the slice is not recorded and counts neither way. `scrapeInterval` (default 15 s)
 * sets the window of an average: four scrapes. Only for `timeslices` objectives.
 */
export function sloSliceIndicator(slo: ServiceLevelObjective, scrapeInterval: string = defaultScrapeInterval): string {
  const indicator = slo.indicator as LatencyIndicator;
  const timing = indicator.timing ?? 'latency';
  const summary = timingOf(slo.profile, timing).quantiles;
  const statistic = indicator.statistic ?? (summary ? 0.99 : 'average');
  // An average is a ratio of rates: over four scrape intervals, as every panel's window at least.
  const options = sloQueryOptions(slo, minimumWindow(scrapeInterval));
  const query = statistic === 'average' ? averageDuration(timing, options) : durationQuantile(timing, statistic, options);
  // The PromQL builder has no `bool` modifier; the text is parsed again when the build checks rules.
  return `(${query.expr}) > bool ${indicator.thresholdSeconds}`;
}

/** The error ratio over `window`, computed from raw series: what the recording rules record. */
export function sloErrorRatio(slo: ServiceLevelObjective, window: string): PromQuery {
  const options = sloQueryOptions(slo, window);
  if (slo.indicator.kind === 'availability') return errorRatio(options);
  if (slo.method === 'timeslices') {
    const slices = new promql.VectorExprBuilder().metric(sloSliceSeries).label('slo', slo.name).range(windowOf(options));
    return promQuery(promql.avgOverTime(slices), slo.by);
  }
  const timing = timingOf(slo.profile, slo.indicator.timing ?? 'latency');
  const histogram = required(slo.profile, timing.quantiles, 'latency histogram');
  if (histogram.kind !== 'histogram') throw new Error(`SLO ${JSON.stringify(slo.name)}: ${histogram.name} is not a histogram`);
  const all = summedRate(timing.count, 'model', slo.by, options);
  const fast = summedRate(bucketsOf(histogram), 'model', slo.by, {
    ...options,
    filters: [...slo.filters, bucketFilter(slo.indicator.thresholdSeconds, timing.unit)],
  });
  return promQuery(guardedRatio(promql.sub(all, fast), all), slo.by);
}

/** Options of the queries that read the recorded series. */
export interface RecordedSloOptions {
  /** Also filter by the dashboard's `$model` variable, where the profile has a model label. Default `true`. */
  readonly templateVariables?: boolean;
}

/** The recorded error ratio of `slo` over `window` (one of the recorded windows). */
export function recordedErrorRatio(slo: ServiceLevelObjective, window: string, options: RecordedSloOptions = {}): Expression {
  const vector = new promql.VectorExprBuilder()
    .metric(sloErrorRatioSeries)
    .label('slo', slo.name)
    .label('window', windowOf({ window }));
  const model = slo.profile.labels.model;
  if (options.templateVariables !== false && model) vector.labelMatchRegexp(model, '$model');
  return vector;
}

/** How many times faster than sustainable the budget burns over `window`: error ratio / budget. */
export function burnRate(slo: ServiceLevelObjective, window: string, options: RecordedSloOptions = {}): PromQuery {
  return promQuery(promql.div(recordedErrorRatio(slo, window, options), promql.n(Number(slo.errorBudget))), slo.by);
}

/** Share of the period's error budget left (1 = untouched, below 0 = overspent). */
export function errorBudgetRemaining(slo: ServiceLevelObjective, options: RecordedSloOptions = {}): PromQuery {
  return promQuery(oneMinus(burnRate(slo, slo.period, options).expression), slo.by);
}

/** The indicator over `window`: the share of good events (or slices), to compare with the target. */
export function serviceLevel(slo: ServiceLevelObjective, window: string, options: RecordedSloOptions = {}): PromQuery {
  return promQuery(oneMinus(recordedErrorRatio(slo, window, options)), slo.by);
}
