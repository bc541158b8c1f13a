/**
 * Default alert sets with the guides' intent and correct semantics: ratios and rates rather than
 * raw counters, GPU utilization on its 0-1 scale, summary quantiles as the worst instance. Each
 * rule exists only where the profile has the metric it reads.
 */
import { promql } from '../queries/commonjs.js';
import {
  batcherMetrics,
  batchingEfficiency,
  errorRatio,
  gpuMemoryUsedRatio,
  gpuUtilization,
  gpuXidErrors,
  dcgmMetrics,
  healthyTargets,
  latencyQuantile,
  requestRate,
  targetsDown,
  tritonMetrics,
  type LabelFilter,
  type MetricsProfile,
  type QueryOptions,
} from '../queries/index.js';
import { alertRule, type AlertRule, type RuleGroup } from './rule.js';
import { checkOptions } from '../queries/options.js';

/** Thresholds of the default alerts; each has the default shown. */
export interface AlertThresholds {
  /** Failed / all requests. Default 0.05. */
  readonly errorRatio: number;
  /** GPU utilization, 0-1. Default 0.9. */
  readonly gpuUtilization: number;
  /** GPU memory used / total. Default 0.9. */
  readonly gpuMemory: number;
  /** Batching efficiency below this, under load. Default 0.3. */
  readonly batchingEfficiency: number;
  /** Requests per second a model needs before low batching efficiency alerts. Default 1. */
  readonly batchingMinimumRate: number;
  /** P99 latency, seconds. Default 5. */
  readonly p99Latency: number;
  /** Fewer healthy scrape targets than this is critical. Default 2. */
  readonly minimumHealthyInstances: number;
}

/** Options of the default alert sets. */
export interface AlertSetOptions {
  readonly profile?: MetricsProfile;
  /** The scrape job the alerts watch. Default the profile's `defaultJob` (`triton`, `inference-api`, `vllm`, ...). */
  readonly job?: string;
  /** Extra label filters for every alert. */
  readonly filters?: readonly LabelFilter[];
  /** Range of rate(). Default `5m`. */
  readonly window?: string;
  readonly thresholds?: Partial<AlertThresholds>;
  /** Base URL of the runbooks; each alert links `<base>#<alert name in lowercase>`. */
  readonly runbookBaseUrl?: string;
  /** Rule group name. Default `inferboard-<profile id>`. */
  readonly groupName?: string;
  /** Prefix of every alert name, so that two servers' sets can load together. Default the profile's `alertPrefix`. */
  readonly namePrefix?: string;
}

export const defaultThresholds: AlertThresholds = {
  errorRatio: 0.05,
  gpuUtilization: 0.9,
  gpuMemory: 0.9,
  batchingEfficiency: 0.3,
  batchingMinimumRate: 1,
  p99Latency: 5,
  minimumHealthyInstances: 2,
};

/** The prefix of a profile's alert names: its `alertPrefix`, else its id capitalized. */
export function alertPrefix(profile: MetricsProfile): string {
  return profile.alertPrefix ?? profile.id.replace(/^./, (first) => first.toUpperCase());
}

/** What every rule of a set shares: the profile, the query options a rule file needs, names and links. */
export interface AlertContext {
  readonly profile: MetricsProfile;
  readonly job: string;
  /** No Grafana variables, a fixed window, the job filtered exactly: Prometheus evaluates rules itself. */
  readonly query: QueryOptions & { readonly profile: MetricsProfile };
  readonly prefix: string;
  /** ` on {{ $labels.model_name }}`, or nothing where the profile has no model label. */
  readonly onModel: string;
  /** `{ runbookUrl }` of an alert, where a base URL was given. */
  readonly runbook: (name: string) => { readonly runbookUrl?: string };
}

/**
 * The context of an alert set over `options.profile` (default `fallback`). The set checks its own
 * options: an LLM set's thresholds are more than {@link AlertThresholds}.
 */
export function alertContext(options: Omit<AlertSetOptions, 'thresholds'>, fallback: MetricsProfile): AlertContext {
  const profile = options.profile ?? fallback;
  const job = options.job ?? profile.defaultJob ?? profile.id;
  const model = profile.labels.model;
  return {
    profile,
    job,
    query: {
      profile,
      templateVariables: false,
      window: options.window ?? '5m',
      filters: [{ label: 'job', value: job }, ...(options.filters ?? [])],
    },
    prefix: options.namePrefix ?? alertPrefix(profile),
    onModel: model ? ` on {{ $labels.${model} }}` : '',
    runbook: (name) => (options.runbookBaseUrl ? { runbookUrl: `${options.runbookBaseUrl}#${name.toLowerCase()}` } : {}),
  };
}

const threshold = (value: number) => promql.n(value);

/** Scrape targets down or too few, and failed requests: every server's. */
export function availabilityRules(context: AlertContext, limits: AlertThresholds): AlertRule[] {
  const { profile, job, query, prefix, onModel, runbook } = context;
  const rules = [
    alertRule({
      name: `${prefix}ServerDown`,
      expression: targetsDown(query).expression,
      for: '1m',
      severity: 'critical',
      summary: `${profile.displayName} {{ $labels.instance }} is down`,
      description: 'Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}) for 1 minute.',
      ...runbook(`${prefix}ServerDown`),
    }),
    alertRule({
      name: `${prefix}FewerHealthyInstances`,
      expression: promql.lt(healthyTargets(query).expression, threshold(limits.minimumHealthyInstances)),
      for: '2m',
      severity: 'critical',
      summary: `Fewer than ${limits.minimumHealthyInstances} healthy ${profile.displayName} instances`,
      description: `Only {{ $value }} instances of job ${job} are up; at least ${limits.minimumHealthyInstances} are needed.`,
      ...runbook(`${prefix}FewerHealthyInstances`),
    }),
  ];
  if (profile.requests) {
    const meaning = profile.requests.failureMeaning ? ` (${profile.requests.failureMeaning})` : '';
    rules.push(
      alertRule({
        name: `${prefix}HighErrorRate`,
        expression: promql.gt(errorRatio(query).expression, threshold(limits.errorRatio)),
        for: '5m',
        severity: 'warning',
        summary: `High error rate${onModel}`,
        description: `{{ $value | humanizePercentage }} of requests${onModel.replace(' on', ' to')} fail${meaning} (threshold ${limits.errorRatio * 100} %).`,
        ...runbook(`${prefix}HighErrorRate`),
      }),
    );
  }
  return rules;
}

/** End-to-end P99 latency, where the server exports its quantiles. */
export function latencyRules(context: AlertContext, limits: AlertThresholds): AlertRule[] {
  const { profile, query, prefix, onModel, runbook } = context;
  const source = profile.latency?.quantiles;
  if (!source) return [];
  return [
    alertRule({
      name: `${prefix}HighP99Latency`,
      expression: promql.gt(latencyQuantile(0.99, query).expression, threshold(limits.p99Latency)),
      for: '5m',
      severity: 'warning',
      summary: `P99 latency above ${limits.p99Latency} s${onModel}`,
      description:
        source.kind === 'summary'
          ? `The slowest instance's P99 (a summary, not aggregatable) is {{ $value | humanizeDuration }}.`
          : `P99 over all instances is {{ $value | humanizeDuration }}.`,
      ...runbook(`${prefix}HighP99Latency`),
    }),
  ];
}

/** GPU saturation and memory, where the server exports GPU gauges. */
export function gpuRules(context: AlertContext, limits: AlertThresholds): AlertRule[] {
  const { profile, query, prefix, runbook } = context;
  const { gpu } = profile;
  if (!gpu) return [];
  const gpuLabel = profile.labels.gpu ?? 'instance';
  const hostLabel = (gpu.perGpu ?? []).includes('host') && profile.labels.host ? profile.labels.host : 'instance';
  const rules = [
    alertRule({
      name: `${prefix}HighGpuUtilization`,
      expression: promql.gt(gpuUtilization(query).expression, threshold(limits.gpuUtilization)),
      for: '5m',
      severity: 'warning',
      summary: `GPU {{ $labels.${gpuLabel} }} on {{ $labels.${hostLabel} }} is saturated`,
      description: `GPU utilization is {{ $value | humanizePercentage }} (threshold ${limits.gpuUtilization * 100} %).`,
      ...runbook(`${prefix}HighGpuUtilization`),
    }),
    alertRule({
      name: `${prefix}GpuMemoryNearFull`,
      expression: promql.gt(gpuMemoryUsedRatio(query).expression, threshold(limits.gpuMemory)),
      for: '5m',
      severity: 'warning',
      summary: `GPU {{ $labels.${gpuLabel} }} on {{ $labels.${hostLabel} }} is nearly out of memory`,
      description: `GPU memory is {{ $value | humanizePercentage }} full (threshold ${limits.gpuMemory * 100} %).`,
      ...runbook(`${prefix}GpuMemoryNearFull`),
    }),
  ];
  if (gpu.xidErrors) {
    rules.push(
      alertRule({
        name: `${prefix}GpuXidError`,
        expression: gpuXidErrors(query).expression,
        severity: 'warning',
        summary: `GPU {{ $labels.${gpuLabel} }} on {{ $labels.${hostLabel} }} reported XID {{ $value }}`,
        description:
          "The driver reported XID error {{ $value }} ({{ $labels.err_msg }}). Some XIDs are application faults, others (48, 63, 64, 74, 79, 94, 95) need the GPU drained: look it up in NVIDIA's XID catalog.",
        ...runbook(`${prefix}GpuXidError`),
      }),
    );
  }
  return rules;
}

/** The default alerts for any profile: each only where the server exports what it reads. */
export function defaultAlerts(options: AlertSetOptions = {}): RuleGroup {
  checkOptions('defaultAlerts', options);
  const context = alertContext(options, tritonMetrics);
  const { profile, query, prefix, onModel, runbook } = context;
  const limits = { ...defaultThresholds, ...options.thresholds };
  const rules: AlertRule[] = [...availabilityRules(context, limits), ...latencyRules(context, limits)];
  if (profile.batching && profile.requests) {
    rules.push(
      alertRule({
        name: `${prefix}LowBatchingEfficiency`,
        expression: promql.and(
          promql.lt(batchingEfficiency(query).expression, threshold(limits.batchingEfficiency)),
          promql.gt(requestRate(query).expression, threshold(limits.batchingMinimumRate)),
        ),
        for: '15m',
        severity: 'info',
        summary: `Low batching efficiency${onModel}`,
        description: `Batching saves only {{ $value | humanizePercentage }} of executions under load; raise max_queue_delay or check max_batch_size.`,
        ...runbook(`${prefix}LowBatchingEfficiency`),
      }),
    );
  }
  rules.push(...gpuRules(context, limits));
  return { name: options.groupName ?? `inferboard-${profile.id}`, rules };
}

/** The default Triton alerts (job `triton`). */
export function tritonAlerts(options: AlertSetOptions = {}): RuleGroup {
  checkOptions('tritonAlerts', options);
  return defaultAlerts({ ...options, profile: options.profile ?? tritonMetrics });
}

/** GPU alerts from the DCGM exporter alone (job `dcgm-exporter`): targets down, saturation, memory, XID errors. */
export function gpuAlerts(options: AlertSetOptions = {}): RuleGroup {
  checkOptions('gpuAlerts', options);
  return defaultAlerts({ ...options, profile: options.profile ?? dcgmMetrics });
}

/** The default dynamic batcher alerts (job `inference-api`). */
export function batcherAlerts(options: AlertSetOptions = {}): RuleGroup {
  checkOptions('batcherAlerts', options);
  return defaultAlerts({ ...options, profile: options.profile ?? batcherMetrics });
}
