/**
 * Which inferboard builder a dashboard's panel is: the builder call that produces it exactly
 * (targets, title, description, unit, thresholds and every other field), or, for a panel written
 * by hand, the builder that draws what it means to show, read from the metrics it queries.
 */
import { isDeepStrictEqual } from 'node:util';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import * as panels from '../../panels/index.js';
import { builtInProfiles, rankedQuery, type MetricsProfile } from '../../queries/index.js';
import { generated } from '../../queries/commonjs.js';
import { isOwnRecordedName } from '../../alerts/index.js';
import { expressionFacts } from '../check/expressionFacts.js';
import { queryLanguage } from '../dashboards/walk.js';

type Json = Record<string, unknown>;
type Target = { refId?: string; expr?: string; query?: string; legendFormat?: string; datasource?: unknown } & Json;

/** A builder and the options to call it with; a profile option is one of {@link builtInProfiles}. */
export interface BuilderCall {
  readonly builder: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The panel builders of `inferboard/panels`, by name: those the option schemas know as taking panel options. */
function panelBuilders(): Map<string, (options?: object) => { build(): unknown }> {
  const { builders } = generated<{ builders: Record<string, string> }>('options.json');
  const found = new Map<string, (options?: object) => { build(): unknown }>();
  for (const [name, type] of Object.entries(builders)) {
    const builder = (panels as Record<string, unknown>)[name];
    if (typeof builder === 'function' && /PanelOptions$/.test(type))
      found.set(name, builder as (options?: object) => { build(): unknown });
  }
  return found;
}

let builderCache: ReturnType<typeof panelBuilders> | undefined;
const builders = () => (builderCache ??= panelBuilders());

/** Builders whose default profile is vLLM's: the LLM panels. */
const llmBuilders = new Set([
  'timeToFirstToken',
  'interTokenLatency',
  'endToEndLatency',
  'requestQueueTime',
  'prefillDecodeTime',
  'runningRequests',
  'kvCacheUsage',
  'preemptions',
  'tokenThroughput',
  'prefixCacheHitRate',
  'finishReasons',
]);

/** Every metric name a profile reads, by the role (`latency`, `gpu.utilization`) it fills; histograms with their series. */
function roleIndex(): Map<string, { profile: MetricsProfile; role: string }[]> {
  const index = new Map<string, { profile: MetricsProfile; role: string }[]>();
  const add = (name: string, profile: MetricsProfile, role: string) => {
    for (const series of [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]) {
      const entries = index.get(series) ?? [];
      if (!entries.some((entry) => entry.profile === profile && entry.role === role)) entries.push({ profile, role });
      index.set(series, entries);
    }
  };
  const walk = (value: unknown, profile: MetricsProfile, role: string) => {
    if (typeof value !== 'object' || value === null) return;
    const named = value as { name?: unknown; previousNames?: unknown };
    if (typeof named.name === 'string') add(named.name, profile, role);
    if (Array.isArray(named.previousNames))
      for (const name of named.previousNames) if (typeof name === 'string') add(name, profile, role);
    for (const [key, child] of Object.entries(value)) if (key !== 'matchers') walk(child, profile, role);
  };
  for (const profile of builtInProfiles) {
    for (const [key, value] of Object.entries(profile)) {
      if (['labels', 'families', 'scrape', 'discoveryMetric'].includes(key)) continue;
      if (key === 'gpu' && typeof value === 'object' && value !== null) {
        for (const [part, metric] of Object.entries(value)) walk(metric, profile, `gpu.${part}`);
      } else walk(value, profile, key);
    }
  }
  return index;
}

let roleCache: ReturnType<typeof roleIndex> | undefined;
const roles = () => (roleCache ??= roleIndex());

/** The metric names a panel's queries read. */
function metricsOf(targets: readonly Target[]): string[] {
  const metrics: string[] = [];
  for (const target of targets) {
    try {
      for (const use of expressionFacts(String(target.expr ?? '')).selectors) if (use.metric) metrics.push(use.metric);
    } catch {
      // A query that does not parse names no metric.
    }
  }
  return metrics;
}

/** The role and profile of a metric: the role of a series Triton has no histogram of (`..._duration_us_bucket`) is its counter's. */
function roleOf(metric: string): { profile: MetricsProfile; role: string } | undefined {
  return roles().get(metric)?.[0] ?? roles().get(metric.replace(/_bucket$/, ''))?.[0];
}

const isLlm = (profile: MetricsProfile) => profile.tokens !== undefined;

/** The builder of a role, for a profile: an LLM server's queue is `requestQueueTime`, Triton's `queueTime`. */
function builderOfRole(role: string, profile: MetricsProfile, expr: string): string | undefined {
  const llm = isLlm(profile);
  if (role === 'requests')
    return /\//.test(expr) ? 'errorRate' : /\$__range|increase\(/.test(expr) ? 'totalRequests' : 'requestRate';
  if (role.startsWith('gpu.')) {
    const part = role.slice('gpu.'.length);
    if (part === 'utilization') return 'gpuUtilization';
    if (part.startsWith('memory')) return 'gpuMemory';
    if (part.startsWith('power')) return 'gpuPower';
    if (part === 'temperatureCelsius') return 'gpuTemperature';
    if (part === 'xidErrors') return 'gpuXidErrors';
    return undefined;
  }
  const byRole: Record<string, string> = {
    finishReasons: 'finishReasons',
    latency: llm ? 'endToEndLatency' : 'latency',
    firstResponse: llm ? 'timeToFirstToken' : 'latency',
    interToken: 'interTokenLatency',
    queueTime: llm ? 'requestQueueTime' : 'queueTime',
    prefill: 'prefillDecodeTime',
    decode: 'prefillDecodeTime',
    computeTime: profile.id === 'triton' ? 'computeTime' : 'inferenceTime',
    batching: 'batchSize',
    pendingRequests: llm ? 'runningRequests' : 'queueSize',
    runningRequests: 'runningRequests',
    inflightBatches: 'inflightBatches',
    kvCacheUsage: 'kvCacheUsage',
    tokens: 'tokenThroughput',
    preemptions: 'preemptions',
    prefixCache: 'prefixCacheHitRate',
  };
  return byRole[role];
}

/** Quantiles a panel draws, as written in its queries: `quantile="0.95"` or `histogram_quantile(0.95, ...)`. */
function quantilesOf(targets: readonly Target[]): number[] {
  const found: number[] = [];
  for (const target of targets) {
    const expr = String(target.expr ?? '');
    for (const [, histogram, summary] of expr.matchAll(/histogram_quantile\(\s*([0-9.]+)|quantile="([0-9.]+)"/g)) {
      const quantile = Number(histogram ?? summary);
      if (quantile > 0 && quantile < 1 && !found.includes(quantile)) found.push(quantile);
    }
  }
  return found;
}

/** The panel JSON a call builds, or undefined where the options do not fit the builder. */
export function built(call: BuilderCall): grafana.Panel | undefined {
  try {
    return JSON.parse(JSON.stringify(builders().get(call.builder)!(call.options).build())) as grafana.Panel;
  } catch {
    return undefined;
  }
}

const sameTargets = (left: readonly Target[], right: readonly Target[]) =>
  left.length === right.length &&
  left.every(
    (target, index) =>
      target.refId === right[index]?.refId &&
      target.expr === right[index]?.expr &&
      target.query === right[index]?.query &&
      target.legendFormat === right[index]?.legendFormat,
  );

/** A panel's fields but where it sits: what a builder must reproduce. */
const content = ({ gridPos: _gridPos, id: _id, ...rest }: grafana.Panel) => rest;

/** Candidate options of a builder for a panel, from what its queries show: profile, recorded rates, quantiles, ranking. */
function candidates(builder: string, panel: grafana.Panel, targets: readonly Target[]): Record<string, unknown>[] {
  const metrics = metricsOf(targets);
  // A Tempo target's TraceQL is its `query`.
  const exprs = targets.map((target) => String(target.expr ?? target.query ?? ''));
  // Log and trace queries name no metric: any profile may have written their label names.
  const profiles = targets.some((target) => queryLanguage(panel, target) !== 'promql')
    ? builtInProfiles
    : [...new Set(metrics.map((metric) => roleOf(metric)?.profile).filter((profile) => profile !== undefined))];
  const ranking = exprs.map(rankedQuery).find((ranked) => ranked !== undefined);
  const base: Record<string, unknown> = {};
  if (metrics.some(isOwnRecordedName)) base.recorded = true;
  if (!exprs.some((expr) => expr.includes('$job') || expr.includes('$instance') || expr.includes('$host')))
    base.templateVariables = false;
  if (ranking && !ranking.ranking.startsWith('top 10 ')) base.topSeries = Number(/\d+/.exec(ranking.ranking)?.[0]);
  if (/\((requests|inferences)\)/.test(panel.title ?? ''))
    base.counts = /\(inferences\)/.test(panel.title ?? '') ? 'inferences' : 'requests';
  if (builder === 'gpuMemory' && panel.fieldConfig?.defaults?.unit === 'bytes') base.measure = 'bytes';
  const quantiles = quantilesOf(targets);
  const variants: Record<string, unknown>[] = [{}];
  if (quantiles.length > 0) variants.push({ quantiles });
  if (!targets.some((target) => target.refId === 'AVG'))
    variants.push(...variants.map((variant) => ({ ...variant, average: false })));
  if (builder === 'latency') variants.push(...variants.map((variant) => ({ ...variant, timing: 'firstResponse' })));
  // The labels its legend names (`{{model}} {{instance}}`), by the profile's names of them.
  const legendLabels = [...String(targets[0]?.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(([, label]) => label!);
  const grouped: (string[] | undefined)[] = [undefined, []];
  for (const profile of profiles) {
    const semantic = semanticNames(profile);
    const byProfile = legendLabels.map((label) => semantic.get(label) ?? label);
    if (byProfile.length > 0 && !grouped.some((groupBy) => isDeepStrictEqual(groupBy, byProfile))) grouped.push(byProfile);
  }
  // GPUs beside a server's panels are joined to the series it serves.
  const servers = exprs.some((expr) => / and on ?\(/.test(expr)) ? builtInProfiles.filter((profile) => isLlm(profile)) : [];
  const profileOptions = [undefined, ...profiles];
  const result: Record<string, unknown>[] = [];
  for (const profile of profileOptions)
    for (const groupBy of grouped)
      for (const servedBy of [undefined, ...servers])
        for (const variant of variants)
          result.push({
            ...(profile ? { profile } : {}),
            ...(groupBy ? { groupBy } : {}),
            ...(servedBy ? { servedBy } : {}),
            ...base,
            ...variant,
          });
  return result;
}

/** The options that make a candidate's title, description, unit and thresholds the panel's. */
function displayOptions(panel: grafana.Panel, candidate: grafana.Panel): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (panel.title !== candidate.title) options.title = panel.title;
  if (panel.description !== candidate.description) options.description = panel.description ?? '';
  const unit = panel.fieldConfig?.defaults?.unit;
  if (unit !== candidate.fieldConfig?.defaults?.unit && typeof unit === 'string') options.unit = unit;
  const steps = panel.fieldConfig?.defaults?.thresholds?.steps;
  if (steps && !isDeepStrictEqual(steps, candidate.fieldConfig?.defaults?.thresholds?.steps))
    options.thresholds = steps.map((step) => ({ value: step.value ?? null, color: step.color }));
  return options;
}

/** The fixed matchers (`model="resnet50_trt"`) of a query's first selector, by `label op value`. */
function fixedMatchers(expr: string): Map<string, { label: string; operator: string; value: string }> {
  const matchers = new Map<string, { label: string; operator: string; value: string }>();
  try {
    const [first] = expressionFacts(expr).selectors;
    for (const matcher of first?.matchers ?? []) {
      if (matcher.label === '__name__' || matcher.value.includes('$')) continue;
      matchers.set(`${matcher.label}${matcher.operator}${matcher.value}`, matcher);
    }
  } catch {
    // No fixed matchers in what does not parse.
  }
  return matchers;
}

/** The labels of a profile by their names in the series: `model_name` is vLLM's `model`. */
function semanticNames(profile: MetricsProfile | undefined): Map<string, string> {
  return new Map(
    Object.entries(profile?.labels ?? {}).flatMap(([name, label]) => (typeof label === 'string' ? [[label, name]] : [])),
  );
}

/** The `filters` option adding what the panel's queries filter and the candidate's do not, by the profile's label names. */
function filtersOption(
  panel: readonly Target[],
  candidate: readonly Target[],
  profile: MetricsProfile | undefined,
): Record<string, unknown> | undefined {
  const have = fixedMatchers(String(candidate[0]?.expr ?? ''));
  const extra = [...fixedMatchers(String(panel[0]?.expr ?? ''))].filter(([key]) => !have.has(key)).map(([, matcher]) => matcher);
  if (extra.length === 0) return undefined;
  const semantic = semanticNames(profile);
  return {
    filters: extra.map(({ label, operator, value }) => ({
      label: semantic.get(label) ?? label,
      ...(operator === '=' ? {} : { operator }),
      value,
    })),
  };
}

/** The builder call that builds `panel` exactly, but for where it sits (its gridPos and id), if any does. */
export function exactBuilder(panel: grafana.Panel): BuilderCall | undefined {
  if (panel.type === 'row') return undefined;
  const targets = (panel.targets ?? []) as unknown as Target[];
  if (targets.length === 0) return undefined;
  let best: BuilderCall | undefined;
  for (const builder of builders().keys()) {
    for (const tried of candidates(builder, panel, targets)) {
      let options = tried;
      let candidate = built({ builder, options });
      if (!candidate || candidate.type !== panel.type) continue;
      const filters = filtersOption(
        targets,
        (candidate.targets ?? []) as unknown as Target[],
        options.profile as MetricsProfile | undefined,
      );
      if (filters) {
        options = { ...options, ...filters };
        candidate = built({ builder, options });
        if (!candidate) continue;
      }
      if (!sameTargets((candidate.targets ?? []) as unknown as Target[], targets)) continue;
      const call = { builder, options: { ...options, ...displayOptions(panel, candidate) } };
      const exact = built(call);
      // The simplest call wins: latency() over endToEndLatency({ profile, title, description }).
      if (
        exact &&
        isDeepStrictEqual(content(exact), content(panel)) &&
        (!best || Object.keys(call.options).length < Object.keys(best.options).length)
      )
        best = call;
    }
  }
  return best;
}

/**
 * The builder that draws what a hand-written panel means to show, from the first metric of its
 * queries that a profile knows (the role it fills): `rate(nv_inference_request_success[1m])` is
 * `requestRate()`, `avg(nv_inference_request_duration_us)` is `latency()`.
 */
export function suggestedBuilder(panel: grafana.Panel): BuilderCall | undefined {
  const targets = (panel.targets ?? []) as unknown as Target[];
  for (const metric of metricsOf(targets)) {
    const found = roleOf(metric);
    if (!found) continue;
    const builder = builderOfRole(found.role, found.profile, String(targets[0]?.expr ?? ''));
    if (!builder || !builders().has(builder)) continue;
    const defaultProfile = llmBuilders.has(builder) ? 'vllm' : 'triton';
    const options: Record<string, unknown> = {
      ...(found.profile.id !== defaultProfile ? { profile: found.profile } : {}),
      ...(panel.title ? { title: panel.title } : {}),
    };
    const quantiles = quantilesOf(targets);
    // Quantiles the server does not export (Triton's summaries) fall back to the builder's own.
    const withQuantiles = quantiles.length > 0 ? { ...options, quantiles } : options;
    if (built({ builder, options: withQuantiles })) return { builder, options: withQuantiles };
    if (built({ builder, options })) return { builder, options };
  }
  return undefined;
}
