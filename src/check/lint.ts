/**
 * Lint rules for built dashboards: grafana/dashboard-linter's rules that apply, plus rules that
 * know Triton's counters, summaries and gauges. Each rule has an id and can be disabled per
 * dashboard or per panel (by title) with a `LintConfig` (src/dashboards/lintConfig.ts names them).
 */
import { quoted } from './errors.js';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bucketsOf,
  builtInProfiles,
  familySeriesNames,
  measuredTimings,
  type MetricFamilies,
  type MetricRef,
  type MetricsProfile,
} from '../../queries/index.js';
import { closest } from '../../queries/options.js';
import { isOwnRecordedName } from '../../alerts/index.js';
import { allPanels, promqlTargets, queryLanguage } from '../dashboards/walk.js';
import { knownLogFields, logQueryFacts } from './logql.js';
import { lintRules, type LintConfig, type LintRuleId } from '../dashboards/lintConfig.js';
import { expressionFacts, type ExpressionFacts, type SelectorUse } from './expressionFacts.js';
import { isBlank, parseExpression, type ParsedExpression } from './promql.js';

/** One finding: the rule, the panel and target it concerns, and what is wrong. */
export interface LintFinding {
  readonly rule: LintRuleId;
  readonly panel?: string;
  readonly refId?: string;
  readonly message: string;
}

const builtInVariables = new Set([
  '__rate_interval',
  '__rate_interval_ms',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__dashboard',
  '__user',
  '__org',
  '__name',
  '__auto',
  '__all',
  'timeFilter',
]);
const rateFunctions = new Set(['rate', 'irate', 'increase']);
const counterFunctions = new Set([
  'rate',
  'irate',
  'increase',
  'resets',
  'absent',
  'absent_over_time',
  'present_over_time',
  'timestamp',
]);
const numericPanels = new Set(['timeseries', 'stat', 'gauge', 'bargauge']);
const comparisons = new Set(['>', '<', '>=', '<=', '==', '!=']);

/** Metric names by kind, from the profiles' families and roles (a counter's name alone does not say it is one). */
export interface MetricKinds {
  readonly counters: ReadonlySet<string>;
  readonly gauges: ReadonlySet<string>;
  readonly summaries: ReadonlySet<string>;
  /** Series the build's rule groups record: they carry only the labels their rules keep. */
  readonly recorded: ReadonlySet<string>;
  /** For each name prefix a server's families list exhaustively (`nv_`, `tgi_`): the server and every series name. */
  readonly known: ReadonlyMap<string, { readonly server: string; readonly series: ReadonlySet<string> }>;
}

/** The counters and gauges a profile's roles name (a user's own server has no family list). */
function roleKinds(profile: MetricsProfile, counters: Set<string>, gauges: Set<string>, summaries: Set<string>): void {
  const counter = (metric: MetricRef | undefined) => {
    for (const name of metric ? [metric.name, ...(metric.previousNames ?? [])] : []) counters.add(name);
  };
  const gauge = (metric: MetricRef | undefined) => {
    for (const name of metric ? [metric.name, ...(metric.previousNames ?? [])] : []) gauges.add(name);
  };
  const { requests, batching, tokens, prefixCache, preemptions, finishReasons } = profile;
  [requests?.success, requests?.failure, requests?.aborted, requests?.total, finishReasons?.metric].forEach(counter);
  [batching?.requests, batching?.inferences, batching?.executions, tokens?.prompt, tokens?.generation].forEach(counter);
  [prefixCache?.hits, prefixCache?.queries].forEach(counter);
  if (batching?.sizeHistogram) counters.add(`${batching.sizeHistogram}_bucket`);
  (preemptions?.kind === 'counter' ? counter : gauge)(preemptions?.metric);
  for (const timing of measuredTimings(profile)) {
    counter(timing.total);
    counter(timing.count);
    const source = timing.quantiles;
    if (source?.kind === 'summary') summaries.add(source.name);
    if (source?.kind === 'histogram') counter(bucketsOf(source));
  }
  const { gpu } = profile;
  [profile.pendingRequests, profile.runningRequests, profile.inflightBatches, profile.kvCacheUsage].forEach(gauge);
  [gpu?.utilization, gpu?.memoryUsedBytes, gpu?.memoryTotalBytes, gpu?.memoryFreeBytes, gpu?.powerWatts].forEach(gauge);
  [gpu?.powerLimitWatts, gpu?.temperatureCelsius, gpu?.xidErrors].forEach(gauge);
}

/** The kinds of the families a server exports: every histogram part and summary count is a counter. */
function familyKinds(families: MetricFamilies, counters: Set<string>, gauges: Set<string>, summaries: Set<string>): void {
  for (const name of families.counter) counters.add(name);
  for (const name of families.gauge) gauges.add(name);
  for (const name of familySeriesNames(families)) if (name.endsWith('_created')) gauges.add(name);
  for (const name of families.histogram) counters.add(`${name}_bucket`).add(`${name}_sum`).add(`${name}_count`);
  for (const name of families.summary) summaries.add(name).add(`${name}_count`);
}

/**
 * Classifies every metric the profiles name (default: the profiles inferboard ships); `recorded`
 * are the series the build's rule groups record.
 */
export function metricKinds(profiles: readonly MetricsProfile[] = builtInProfiles, recorded: Iterable<string> = []): MetricKinds {
  const counters = new Set<string>();
  const gauges = new Set<string>();
  const summaries = new Set<string>();
  const known = new Map<string, { server: string; series: Set<string> }>();
  for (const profile of profiles) {
    roleKinds(profile, counters, gauges, summaries);
    if (!profile.families) continue;
    familyKinds(profile.families, counters, gauges, summaries);
    for (const prefix of profile.families.prefixes) {
      // Named after the first server of the prefix: Triton's TensorRT-LLM backend extends Triton's families.
      const entry = known.get(prefix) ?? { server: profile.displayName, series: new Set<string>() };
      for (const name of familySeriesNames(profile.families)) entry.series.add(name);
      known.set(prefix, entry);
    }
  }
  return { counters, gauges, summaries, recorded: new Set(recorded), known };
}

const defaultKinds = metricKinds();

function isCounter(metric: string, kinds: MetricKinds): boolean {
  return kinds.counters.has(metric) || (!kinds.gauges.has(metric) && /_(total|count|sum|bucket)$/.test(metric));
}

/** A name with a prefix some server's families list exhaustively, that none of them has: `unknown-metric` or, for a `_total` the counter lacks, `triton-total-suffix`. */
function unknownNameRules(metric: string, kinds: MetricKinds, report: (rule: LintRuleId, message: string) => void): void {
  for (const [prefix, { server, series }] of kinds.known) {
    if (!metric.startsWith(prefix) || series.has(metric)) continue;
    const base = metric.slice(0, -'_total'.length);
    if (metric.endsWith('_total') && series.has(base)) {
      report('triton-total-suffix', `${metric} does not exist: ${server} counters have no _total suffix (${base})`);
    } else {
      report('unknown-metric', `${metric} is not a metric ${server} exports`);
    }
    return;
  }
}

function filtersBy(use: SelectorUse, label: string): boolean {
  return use.matchers.some((matcher) => matcher.label === label && matcher.value.includes(`$${label}`));
}

function selectorRules(
  use: SelectorUse,
  all: readonly SelectorUse[],
  kinds: MetricKinds,
  report: (rule: LintRuleId, message: string) => void,
): void {
  const { metric } = use;
  // A recorded series (`level:metric:operation`) carries only the labels its level names; a name
  // with colons that no rule records is an exporter's (vLLM's `vllm:num_requests_running`).
  const recorded = kinds.recorded.has(metric) || isOwnRecordedName(metric);
  const levels = recorded ? (metric.split(':')[0] ?? '').split('_') : undefined;
  for (const label of ['job', 'instance']) {
    if (levels && !levels.includes(label)) continue;
    // `gpu and on (pod) serving{job=~"$job"}`: the series the join keeps are the filtered ones'.
    const joined = use.joinedTo.some((index) => all[index] && filtersBy(all[index], label));
    if (!filtersBy(use, label) && !joined)
      report('job-instance-matchers', `${metric || 'a selector'} does not filter ${label}=~"$${label}"`);
  }
  // increase(...[$__interval]) counts what happened in each step, as a heatmap cell needs.
  const perStep = use.function === 'increase' && use.range === '$__interval';
  if (
    use.function &&
    rateFunctions.has(use.function) &&
    use.range !== undefined &&
    use.range !== '$__rate_interval' &&
    use.range !== '$__range' &&
    !perStep
  ) {
    report('rate-interval', `${use.function}(${metric}[${use.range}]) should use $__rate_interval`);
  }
  unknownNameRules(metric, kinds, report);
  if (isCounter(metric, kinds) && !(use.function && counterFunctions.has(use.function))) {
    report(
      'counter-rate',
      `counter ${metric} is read ${use.aggregations[0] ? `through ${use.aggregations[0]}()` : 'raw'}; wrap it in rate() or increase()`,
    );
  }
  if (kinds.gauges.has(metric) && use.function && (rateFunctions.has(use.function) || use.function === 'resets')) {
    report('gauge-rate', `${use.function}() of gauge ${metric} is meaningless; read the gauge as it is`);
  }
  const isSummaryQuantile = kinds.summaries.has(metric) || use.matchers.some((matcher) => matcher.label === 'quantile');
  const outer = use.aggregations[0];
  if (isSummaryQuantile && !use.function && (outer === 'avg' || outer === 'sum')) {
    report(
      'summary-quantile-aggregation',
      `${outer}() of summary quantiles of ${metric} is not a quantile; use max() or group by instance`,
    );
  }
}

function expressionRules(
  facts: ExpressionFacts,
  defined: ReadonlySet<string>,
  report: (rule: LintRuleId, message: string) => void,
): void {
  for (const division of facts.divisions) {
    if (!division.guarded)
      report('unguarded-ratio', `divisor ${division.divisor.slice(0, 80)} is not guarded; write a / (b > 0)`);
  }
  for (const operation of facts.numberOperations) {
    if (comparisons.has(operation.operator) && operation.metrics.includes('nv_gpu_utilization') && operation.number > 1) {
      report(
        'gpu-utilization-scale',
        `nv_gpu_utilization ${operation.operator} ${operation.number}: utilization is 0-1 (use ${operation.number / 100})`,
      );
    }
  }
  for (const variable of new Set(facts.variables)) {
    if (!defined.has(variable) && !builtInVariables.has(variable))
      report('unknown-variable', `$${variable} is not a variable of this dashboard`);
  }
}

/**
 * Expressions known to lint clean, by parse (one per shape: the syntax tree and each variable's
 * name and place) and what else the rules read: the dashboard's variables and the metric kinds.
 * A fleet's dashboards differ only in string literals, so their queries are linted once. A
 * bounded memo.
 */
const cleanExpressions = new WeakMap<MetricKinds, WeakMap<ParsedExpression, Set<string>>>();

function datasourceUid(reference: unknown): string | undefined {
  return typeof reference === 'object' && reference !== null ? ((reference as { uid?: string }).uid ?? undefined) : undefined;
}

/** What every panel's rules read of its dashboard, and where findings go. */
interface DashboardContext {
  readonly kinds: MetricKinds;
  /** Names of the dashboard's variables. */
  readonly defined: ReadonlySet<string>;
  /** The same, as one key of the lint memo. */
  readonly definedKey: string;
  readonly cleanByParse: WeakMap<ParsedExpression, Set<string>>;
  readonly datasourceVariable: string | undefined;
  /** `$name` and `${name}` of the datasource variable. */
  readonly datasourceReferences: readonly string[];
  readonly add: (finding: LintFinding) => void;
}

/** The rules of one target's expression, skipped for a parse already known to lint clean with these variables. */
function lintTarget(target: { refId?: string; expr?: unknown }, title: string, context: DashboardContext): void {
  if (typeof target.expr !== 'string') return;
  const parsed = parseExpression(target.expr);
  const clean = context.cleanByParse.get(parsed);
  if (clean?.has(context.definedKey)) return;
  let found = false;
  const report = (rule: LintRuleId, message: string) => {
    found = true;
    context.add({ rule, panel: title, refId: target.refId, message });
  };
  const facts = expressionFacts(target.expr);
  for (const use of facts.selectors) selectorRules(use, facts.selectors, context.kinds, report);
  expressionRules(facts, context.defined, report);
  if (!found) {
    if (!clean) context.cleanByParse.set(parsed, new Set([context.definedKey]));
    else if (clean.size < 1000) clean.add(context.definedKey);
  }
}

/** The rules of one panel: title, description, unit, datasources, then each target's. */
function lintPanel(panel: grafana.Panel, context: DashboardContext): void {
  const title = panel.title ?? '';
  if (isBlank(title) || isBlank(panel.description ?? '')) {
    context.add({
      rule: 'panel-title-description',
      panel: title,
      message: isBlank(title) ? 'the panel has no title' : 'the panel has no description',
    });
  }
  if (numericPanels.has(panel.type) && !panel.fieldConfig?.defaults?.unit) {
    context.add({ rule: 'panel-unit', panel: title, message: `the ${panel.type} panel sets no unit` });
  }
  const targets = (panel.targets ?? []) as { refId?: string; expr?: unknown; datasource?: unknown }[];
  if (context.datasourceVariable !== undefined) {
    for (const [index, reference] of [panel.datasource, ...targets.map((target) => target.datasource)].entries()) {
      const uid = datasourceUid(reference);
      // Log and trace queries read `$loki` and `$tempo`: the rule is about Prometheus's.
      const type = (reference as { type?: unknown } | undefined)?.type;
      if (type !== undefined && type !== 'prometheus') continue;
      if (reference !== undefined && !context.datasourceReferences.includes(uid ?? '')) {
        const what = index === 0 ? 'the panel' : `target ${index}`;
        context.add({
          rule: 'datasource-variable',
          panel: title,
          message: `${what} uses datasource ${uid ?? '(none)'}, not $${context.datasourceVariable}`,
        });
      }
    }
  }
  for (const target of targets) {
    const language = queryLanguage(panel, target);
    if (language === 'promql') lintTarget(target, title, context);
    else if (language === 'logql' && typeof target.expr === 'string') lintLogTarget(target.expr, title, target.refId, context);
  }
}

/** Whether a stream matcher passes every stream (`=~".*"`, `=~".+"`, `!=""`, `!~""`): it narrows nothing. */
const passesEvery = ({ operator, value }: { operator: string; value: string }) =>
  (operator === '=~' && (value === '.*' || value === '.+')) || ((operator === '!=' || operator === '!~') && value === '');

/** The log rules of one Loki query: a selector that narrows the streams, fields of the request log format. */
function lintLogTarget(expr: string, title: string, refId: string | undefined, context: DashboardContext): void {
  const facts = logQueryFacts(expr);
  for (const stream of facts.streams) {
    if (stream.length === 0 || stream.every(passesEvery))
      context.add({
        rule: 'log-stream-selector',
        panel: title,
        refId,
        message: 'the stream selector narrows no stream: Loki would read every stream',
      });
  }
  for (const field of facts.jsonFields) {
    if (!knownLogFields.has(field)) {
      const suggestion = closest(field, knownLogFields);
      context.add({
        rule: 'log-json-fields',
        panel: title,
        refId,
        message: `"${field}" is not a field of the request log format after | json${suggestion ? `; did you mean ${suggestion}?` : ''}`,
      });
    }
  }
}

/** Lints one dashboard; returns the findings the config does not disable, in panel order. */
export function lintDashboard(
  json: grafana.Dashboard,
  config: LintConfig = {},
  kinds: MetricKinds = defaultKinds,
): LintFinding[] {
  for (const rule of [...(config.disable ?? []), ...Object.values(config.panels ?? {}).flat()]) {
    if (!(rule in lintRules)) throw new Error(`unknown lint rule "${rule}" (rules: ${Object.keys(lintRules).join(', ')})`);
  }
  const titles = allPanels(json)
    .filter((panel) => panel.type !== 'row')
    .map((panel) => panel.title ?? '');
  for (const title of Object.keys(config.panels ?? {})) {
    if (titles.includes(title)) continue;
    const suggestion = closest(title, titles);
    throw new Error(
      `lint override for panel ${quoted(title)} matches no panel of the dashboard${suggestion ? `; did you mean ${quoted(suggestion)}?` : ''}`,
    );
  }
  const findings: LintFinding[] = [];
  // One finding per panel and message: a query repeats its expression (a topSeries ranking), targets repeat a selector.
  const reported = new Map<string, LintFinding>();
  const add = (finding: LintFinding) => {
    const disabled = [...(config.disable ?? []), ...(finding.panel !== undefined ? (config.panels?.[finding.panel] ?? []) : [])];
    if (disabled.includes(finding.rule)) return;
    const key = `${finding.rule}\0${finding.panel ?? ''}\0${finding.message}`;
    const same = reported.get(key);
    if (!same) {
      reported.set(key, finding);
      findings.push(finding);
    } else if (finding.refId && same.refId && !same.refId.split(', ').includes(finding.refId)) {
      const merged = { ...same, refId: `${same.refId}, ${finding.refId}` };
      findings[findings.indexOf(same)] = merged;
      reported.set(key, merged);
    }
  };
  const variables = json.templating?.list ?? [];
  const datasourceVariable = variables.find(
    (variable) => variable.type === 'datasource' && variable.query === 'prometheus',
  )?.name;
  if (!/^[a-z0-9-]+$/.test(json.uid ?? ''))
    add({ rule: 'uid-style', message: `uid ${JSON.stringify(json.uid)} is not lowercase a-z, 0-9 and -` });
  // The Prometheus variables are asked of dashboards that query Prometheus: not of one of logs and traces only.
  const queriesPrometheus = allPanels(json).some((panel) => panel.type !== 'row' && promqlTargets(panel).length > 0);
  if (queriesPrometheus && datasourceVariable === undefined)
    add({ rule: 'datasource-variable', message: 'the dashboard has no Prometheus datasource variable' });
  for (const name of queriesPrometheus ? ['job', 'instance'] : []) {
    if (!variables.some((variable) => variable.name === name && variable.type === 'query')) {
      add({ rule: 'job-instance-variables', message: `the dashboard has no ${name} query variable` });
    }
  }
  let cleanByParse = cleanExpressions.get(kinds);
  if (!cleanByParse) cleanExpressions.set(kinds, (cleanByParse = new WeakMap()));
  const defined = new Set(variables.map((variable) => variable.name));
  const context: DashboardContext = {
    kinds,
    defined,
    definedKey: [...defined].join(','),
    cleanByParse,
    datasourceVariable,
    datasourceReferences: datasourceVariable === undefined ? [] : [`$${datasourceVariable}`, `\${${datasourceVariable}}`],
    add,
  };
  for (const panel of allPanels(json)) if (panel.type !== 'row') lintPanel(panel, context);
  return findings;
}

/** `panel "Request rate" target A: [counter-rate] ...`; `targets A, B` where several repeat one finding. */
export function formatFinding(finding: LintFinding): string {
  const targets = finding.refId?.includes(', ') ? 'targets' : 'target';
  const panel =
    finding.panel !== undefined ? `panel ${quoted(finding.panel)}${finding.refId ? ` ${targets} ${finding.refId}` : ''}: ` : '';
  return `${panel}[${finding.rule}] ${finding.message}`;
}
