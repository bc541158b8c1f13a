/**
 * Small PromQL building blocks over @grafana/promql-builder, shared by every query function.
 */
import type { Builder, Expr } from '@grafana/promql-builder';
import { promql } from './commonjs.js';
import { unitsPerSecond, type MetricRef, type TimeUnit } from './profile.js';
import { durationSeconds } from './durations.js';
import { recordedName, recordingLevels, recordingWindow } from './recording.js';
import { profileOf, rangeSelector, selector, windowOf, type PromQuery, type QueryOptions, type Scope } from './selectors.js';

/** Any buildable PromQL expression. */
export type Expression = Builder<Expr>;

/** `sum by (labels) (expr)`; plain `sum(expr)` when `labels` is empty. */
export function sumBy(labels: readonly string[], expr: Expression): Expression {
  const sum = promql.sum(expr);
  return labels.length > 0 ? sum.by([...labels]) : sum;
}

/** `max by (labels) (expr)`: the worst instance, for values that cannot be summed or averaged. */
export function maxBy(labels: readonly string[], expr: Expression): Expression {
  const max = promql.max(expr);
  return labels.length > 0 ? max.by([...labels]) : max;
}

/** `avg by (labels) (expr)`, for gauges such as utilization. */
export function avgBy(labels: readonly string[], expr: Expression): Expression {
  const avg = promql.avg(expr);
  return labels.length > 0 ? avg.by([...labels]) : avg;
}

/**
 * `build(metric)`, then `or` the same built from each name older releases used: per group of
 * the result, the current name where it exists, else the first older one that does.
 */
export function withPreviousNames(metric: MetricRef, build: (metric: MetricRef) => Expression): Expression {
  return (metric.previousNames ?? []).reduce<Expression>(
    (expr, name) => promql.or(expr, build({ ...metric, name, previousNames: undefined })),
    build({ ...metric, previousNames: undefined }),
  );
}

/** `expr * scale`: a role's raw value in its unit (DCGM's percent as a 0-1 ratio, MiB as bytes). */
export function scaled(expr: Expression, metric: MetricRef): Expression {
  const scale = metric.scale ?? 1;
  return scale === 1 ? expr : promql.mul(expr, promql.n(scale));
}

/**
 * `sum by (labels) (rate(metric[window]))`. Summing before any division matters: Triton may
 * split one model's counters by `gpu_uuid`, and only the per-model sums match up. With
 * `recorded` (for any window but `$__range`), the mean of the recording rules' rates over the
 * window: `sum by (labels) (avg_over_time(recorded[window]))`, filtered the same way.
 */
export function summedRate(
  metric: MetricRef,
  scope: Scope,
  labels: readonly string[],
  options: QueryOptions,
  extraLevels: readonly string[] = [],
): Expression {
  const window = windowOf(options);
  if (options.recorded && window !== '$__range') {
    const profile = profileOf(options);
    const levels = recordingLevels(profile, metric, extraLevels);
    const missing = labels.filter((label) => !levels.includes(label));
    if (missing.length > 0) {
      throw new Error(`recorded rates keep ${levels.join(', ')}; they cannot be grouped by ${missing.join(', ')}`);
    }
    const recordedWindow = recordingWindow(options.scrapeInterval);
    if (!window.startsWith('$') && durationSeconds(window) < durationSeconds(recordedWindow)) {
      throw new Error(
        `recorded rates cover ${recordedWindow}; a ${window} window cannot be read from them (use a longer window, or recorded: false)`,
      );
    }
    return withPreviousNames(metric, (each) => {
      const recorded = selector({ ...each, name: recordedName(levels, each.name, recordedWindow) }, scope, options);
      return sumBy(labels, promql.avgOverTime(recorded.range(window)));
    });
  }
  return withPreviousNames(metric, (each) => sumBy(labels, promql.rate(rangeSelector(each, scope, options))));
}

/** `sum by (labels) (increase(metric[window]))`: how much a counter grew over the window. */
export function summedIncrease(metric: MetricRef, scope: Scope, labels: readonly string[], options: QueryOptions): Expression {
  return withPreviousNames(metric, (each) => sumBy(labels, promql.increase(rangeSelector(each, scope, options))));
}

/**
 * `label_replace(expr, "dst", "replacement", "src", "regex")`. The PromQL builder writes string
 * arguments unquoted, so they are quoted here (JSON's escapes are ones PromQL reads).
 */
export function labelReplace(
  expr: Expression,
  destination: string,
  replacement: string,
  source: string,
  regex: string,
): Expression {
  const quoted = (text: string) => JSON.stringify(text);
  return promql.labelReplace(expr, quoted(destination), quoted(replacement), quoted(source), quoted(regex));
}

/** `a / (b > 0)`: no result instead of +Inf or NaN when nothing happened in the window. */
export function guardedRatio(numerator: Expression, denominator: Expression): Expression {
  return promql.div(numerator, promql.gt(denominator, promql.n(0)));
}

/** `1 - x`. */
export function oneMinus(expr: Expression): Expression {
  return promql.sub(promql.n(1), expr);
}

/**
 * `expr or (shape * 0)`: zero for every series of `shape` that `expr` lacks. A failure counter
 * that never fired has no series at all; the panel should read 0, not "No data".
 */
export function orZero(expr: Expression, shape: Expression): Expression {
  return promql.or(expr, promql.mul(shape, promql.n(0)));
}

/**
 * `expr >= 0`: a duration or count without its NaN points. An idle model's summary reports NaN
 * quantiles, `histogram_quantile` over no observations gives NaN; NaN compares false, so the
 * idle series shows no value instead of NaN.
 */
export function withoutNaN(expr: Expression): Expression {
  return promql.gte(expr, promql.n(0));
}

/** Converts an expression in `unit` to seconds, so every duration panel uses Grafana's `s` unit. */
export function toSeconds(expr: Expression, unit: TimeUnit): Expression {
  const divisor = unitsPerSecond[unit];
  return divisor === 1 ? expr : promql.div(expr, promql.n(divisor));
}

/** Renders an expression as PromQL text. */
export function render(expr: Expression): string {
  return promql.toString(expr.build());
}

/** A query result: the PromQL text, its grouping, and the builder for further composition. */
export function promQuery(expression: Expression, by: readonly string[]): PromQuery {
  return { expr: render(expression), by, expression };
}

/** Which series {@link topSeries} keeps: the largest averages (load, latency, burn rate) or the smallest (a service level). */
export type SeriesRank = 'largest' | 'smallest';

/**
 * At most `count` series of `query`: the ones with the largest (or smallest) average over the
 * dashboard's time range, `expr and on(by) topk(count, avg_over_time((expr)[$__range:$__rate_interval] @ end()))`
 * (`bottomk` for the smallest). Ranking once for the whole range (not per step, where ties and
 * noisy gauges bring in new series at every step) keeps the set, and so the legend, at `count`.
 * A query with one series (no grouping) or `count` 0 stays as it is.
 */
export function topSeries(query: PromQuery, count: number, rank: SeriesRank = 'largest'): PromQuery {
  // topk() takes an int64: past 2^53 Prometheus refuses the number (1e21 overflows).
  if (!Number.isSafeInteger(count) || count < 0)
    throw new Error(`topSeries must be a whole number of series, 0 for all; got ${count}`);
  if (count === 0 || query.by.length === 0) return query;
  // One rate window per subquery step: consecutive windows average to the exact rate over the range.
  // (An explicit resolution also matters: promql-builder drops the ':' of a default one.)
  const overRange = promql.avgOverTime(
    promql.subquery(query.expression).range('$__range').resolution('$__rate_interval').at('end()'),
  );
  const [operator, keep] = rank === 'largest' ? (['topk', promql.topk] as const) : (['bottomk', promql.bottomk] as const);
  const expression = promql.and(query.expression, keep(count, overRange)).on([...query.by]);
  // The builder's rendering, from the text already rendered: the inner query appears twice.
  const expr = `(${query.expr}) and on(${query.by.join(', ')}) (${operator}(${count}, avg_over_time((${query.expr})[$__range:$__rate_interval] @ end())))`;
  return { expr, by: query.by, expression };
}

/** A {@link topSeries} ranking read back from an expression: the query it ranks and how. */
export interface SeriesRanking {
  readonly inner: string;
  /** `top 10 by model`. */
  readonly ranking: string;
}

/** The query `expr` ranks where it is a {@link topSeries} ranking (the inner query written once), else undefined. */
export function rankedQuery(expr: string): SeriesRanking | undefined {
  const tail = /\) and on\(([\w, ]+)\) \((topk|bottomk)\((\d+), avg_over_time\(\(/.exec(expr);
  if (!tail || !expr.startsWith('(')) return undefined;
  const inner = expr.slice(1, tail.index);
  const [, by = '', operator, count] = tail;
  const rest = expr.slice(tail.index + tail[0].length);
  if (rest !== `${inner})[$__range:$__rate_interval] @ end())))`) return undefined;
  return { inner, ranking: `${operator === 'topk' ? 'top' : 'bottom'} ${count} by ${by}` };
}
