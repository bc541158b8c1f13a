import type { Builder, Expr, VectorExprBuilder } from '@grafana/promql-builder';
import { promql } from './commonjs.js';
import type { LabelMatch, MetricRef, MetricsProfile } from './profile.js';
import { isPositiveDuration } from './durations.js';
import { regexProblem } from './regex.js';
import { tritonMetrics } from './triton.js';
import {
  carriesExtraLabel,
  filteringVariables,
  hasVariableReference,
  literalPattern,
  templateVariables,
  withoutVariableReferences,
  type Scope,
  type SemanticLabel,
} from './variables.js';

export type { Scope, SemanticLabel };

/** A label: a {@link SemanticLabel}, or any other label name of the series. */
export type LabelName = SemanticLabel | (string & {});

export type LabelOperator = '=' | '!=' | '=~' | '!~';

/**
 * A fixed label filter. The value is escaped, so any string (quotes, newlines) is safe, and it
 * selects exactly that value after Grafana's substitution: a value Grafana would read as a
 * variable (`cost$model`) is matched as a literal regex (`=~"cost[$]model"`).
 */
export interface LabelFilter {
  readonly label: LabelName;
  readonly value: string;
  /** Default `=`. */
  readonly operator?: LabelOperator;
}

/** Options every query function takes. */
export interface QueryOptions {
  /** The metric source. Default {@link tritonMetrics}. */
  readonly profile?: MetricsProfile;
  /**
   * Labels the result keeps, one series per combination. Default per query (usually `['model']`).
   * Labels the profile does not have are dropped; an empty list aggregates everything.
   */
  readonly groupBy?: readonly LabelName[];
  /** Fixed filters added to every selector. Default none. */
  readonly filters?: readonly LabelFilter[];
  /** Filter by the dashboard variables `$job`, `$instance`, `$model`, `$gpu`. Default `true`. */
  readonly templateVariables?: boolean;
  /** Range of `rate()` / `increase()`. Default `$__rate_interval`; `$__range` gives whole-range figures. */
  readonly window?: string;
  /**
   * Read per-second rates from the recorded series of `recordingRules()` instead of raw counters:
   * the mean of the recorded rates over the window (cheaper dashboards; the same numbers while
   * rates are steady, smoothed over one more rule window when they change). Whole-range figures
   * (`$__range`) stay direct. Default `false`.
   */
  readonly recorded?: boolean;
  /**
   * How often Prometheus scrapes the series: recorded rates are read from rules over four scrape
   * intervals, and the batch-size heatmap's cells span at least four. Default `15s`.
   */
  readonly scrapeInterval?: string;
}

/** A PromQL expression, the labels its series are grouped by (for legends), and its builder. */
export interface PromQuery {
  readonly expr: string;
  readonly by: readonly string[];
  /** The @grafana/promql-builder expression, to compose further (alerts compare it with thresholds). */
  readonly expression: Builder<Expr>;
}

const semanticLabels: ReadonlySet<string> = new Set<SemanticLabel>([
  'job',
  'instance',
  'model',
  'host',
  'gpu',
  'gpuInstance',
  'namespace',
  'pod',
]);
const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const defaultWindow = '$__rate_interval';

/** The profile a query uses: the one given, else Triton. */
export function profileOf(options: QueryOptions): MetricsProfile {
  return options.profile ?? tritonMetrics;
}

/** Maps a label to the profile's label name; `undefined` when the profile has no such label. */
export function resolveLabel(profile: MetricsProfile, label: LabelName): string | undefined {
  const resolved = semanticLabels.has(label) ? profile.labels[label as SemanticLabel] : label;
  if (resolved !== undefined && !labelNamePattern.test(resolved)) {
    throw new Error(`invalid label name ${JSON.stringify(resolved)}`);
  }
  return resolved;
}

/** Resolves `groupBy` (or the query's default) to the profile's label names. */
export function grouping(options: QueryOptions, defaults: readonly LabelName[]): string[] {
  const profile = profileOf(options);
  const labels = (options.groupBy ?? defaults).map((label) => resolveLabel(profile, label));
  return [...new Set(labels.filter((label): label is string => label !== undefined))];
}

function checkValue(value: string): string {
  if (loneSurrogate.test(value)) throw new Error(`label value ${JSON.stringify(value)} is not valid UTF-8`);
  return value;
}

/** `pattern`, or an error naming the filter when Prometheus would refuse it. */
function checkedRegex(label: string, operator: string, pattern: string): string {
  const problem = regexProblem(pattern);
  if (problem)
    throw new Error(`filter ${label}${operator}${JSON.stringify(pattern)} is not a regex Prometheus accepts (RE2): ${problem}`);
  return pattern;
}

/** The range of `rate()` / `increase()`, checked. */
export function windowOf(options: QueryOptions): string {
  const window = options.window ?? defaultWindow;
  const variable = window === '$__rate_interval' || window === '$__interval' || window === '$__range';
  if (!variable && !isPositiveDuration(window)) {
    throw new Error(
      `invalid range ${JSON.stringify(window)}: use a positive duration such as 5m, or $__rate_interval / $__range`,
    );
  }
  return window;
}

/**
 * A fixed matcher as Prometheus and Loki read it: a string matches exactly; a value Grafana would
 * substitute in, literally (`=~"cost[$]model"`); a regex, checked as RE2.
 */
export function fixedMatch(name: string, match: string | LabelMatch): LabelMatch {
  const { operator, value } = typeof match === 'string' ? { operator: '=' as const, value: match } : match;
  checkValue(value);
  switch (operator) {
    case '=':
    case '!=':
      if (!hasVariableReference(value)) return { operator, value };
      return { operator: operator === '=' ? '=~' : '!~', value: literalPattern(value) };
    case '=~':
    case '!~':
      return { operator, value: checkedRegex(name, operator, withoutVariableReferences(value)) };
    default:
      throw new Error(`invalid label operator ${JSON.stringify(operator)}`);
  }
}

/** The profile's name of the label a caller's filter reads; an error where the profile has none. */
export function filterLabel(profile: MetricsProfile, filter: LabelFilter): string {
  const name = resolveLabel(profile, filter.label);
  if (name === undefined) throw new Error(`profile "${profile.id}" has no ${filter.label} label to filter by`);
  return name;
}

/** Adds one fixed matcher to a selector. */
function addMatcher(vector: VectorExprBuilder, name: string, match: string | LabelMatch): void {
  const { operator, value } = fixedMatch(name, match);
  if (operator === '=') vector.label(name, value);
  else if (operator === '!=') vector.labelNeq(name, value);
  else if (operator === '=~') vector.labelMatchRegexp(name, value);
  else vector.labelNotMatchRegexp(name, value);
}

/**
 * The dashboard variables that filter `metric` of `scope`: the chain's (`$job`, `$instance`,
 * then `$model` or `$host` and `$gpu`) and the profile's extra labels the metric carries. A
 * host label with older spellings is left to {@link hostFiltered}, which reads both.
 */
function variableFilters(profile: MetricsProfile, metric: string, scope: Scope): [string, string][] {
  const filters: [string, string][] = [];
  for (const label of filteringVariables(scope)) {
    if (label === 'host' && profile.labels.hostAliases?.length) continue;
    const name = resolveLabel(profile, label);
    if (name !== undefined) filters.push([name, `$${templateVariables[label]}`]);
  }
  if (scope === 'model' && profile.labels.model !== undefined) {
    for (const extra of profile.labels.extra ?? []) {
      if (carriesExtraLabel(extra, metric)) filters.push([resolveLabel(profile, extra.label) as string, `$${extra.label}`]);
    }
  }
  return filters;
}

/**
 * Builds the series selector for `metric`: its fixed matchers, the template-variable filters
 * of its scope, then the caller's filters. Values are escaped by the PromQL builder.
 */
export function selector(metric: MetricRef, scope: Scope, options: QueryOptions): VectorExprBuilder {
  const profile = profileOf(options);
  if (!metricNamePattern.test(metric.name)) throw new Error(`invalid metric name ${JSON.stringify(metric.name)}`);
  const vector = new promql.VectorExprBuilder().metric(metric.name);
  for (const [label, match] of Object.entries(metric.matchers ?? {})) {
    addMatcher(vector, resolveLabel(profile, label) ?? label, match);
  }
  if (options.templateVariables !== false) {
    for (const [name, variable] of variableFilters(profile, metric.name, scope)) vector.labelMatchRegexp(name, variable);
  }
  for (const filter of options.filters ?? []) {
    addMatcher(vector, filterLabel(profile, filter), { operator: filter.operator ?? '=', value: filter.value });
  }
  return vector;
}

/** A range selector over `metric` for `rate()` / `increase()`. */
export function rangeSelector(metric: MetricRef, scope: Scope, options: QueryOptions): VectorExprBuilder {
  return selector(metric, scope, options).range(windowOf(options));
}
