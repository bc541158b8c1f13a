/**
 * Default alert sets with the guides' intent and correct semantics: ratios and rates rather than
 * raw counters, GPU utilization on its 0-1 scale, summary quantiles as the worst instance.
 */
import { promql } from '../queries/commonjs.js';
import {
  batcherMetrics,
  batchingEfficiency,
  errorRatio,
  gpuMemoryUsedRatio,
  gpuUtilization,
  healthyTargets,
  latencyQuantile,
  requestRate,
  targetsDown,
  tritonMetrics,
  type LabelFilter,
  type MetricsProfile,
} from '../queries/index.js';
import { alertRule, type AlertRule, type RuleGroup } from './rule.js';

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
  /** The scrape job the alerts watch. Default `triton` (Triton) or `inference-api` (batcher). */
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
  /** Prefix of every alert name, so that two servers' sets can load together. Default `Triton` / `Batcher`. */
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

const defaultJobs: Record<string, string> = { triton: 'triton', batcher: 'inference-api' };
const defaultPrefixes: Record<string, string> = { triton: 'Triton', batcher: 'Batcher' };

/** The default alerts for any profile: the GPU ones only where the server exports GPU metrics. */
export function defaultAlerts(options: AlertSetOptions = {}): RuleGroup {
  const profile = options.profile ?? tritonMetrics;
  const job = options.job ?? defaultJobs[profile.id] ?? profile.id;
  const limits = { ...defaultThresholds, ...options.thresholds };
  // Alerts run in Prometheus: no Grafana variables, a fixed window, the job filtered exactly.
  const query = {
    profile,
    templateVariables: false,
    window: options.window ?? '5m',
    filters: [{ label: 'job', value: job }, ...(options.filters ?? [])],
  };
  const runbook = (name: string) =>
    options.runbookBaseUrl ? { runbookUrl: `${options.runbookBaseUrl}#${name.toLowerCase()}` } : {};
  const threshold = (value: number) => promql.n(value);
  const model = profile.labels.model ? ' on {{ $labels.model }}' : '';
  const prefix = options.namePrefix ?? defaultPrefixes[profile.id] ?? profile.id.replace(/^./, (first) => first.toUpperCase());
  const rules: AlertRule[] = [
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
    alertRule({
      name: `${prefix}HighErrorRate`,
      expression: promql.gt(errorRatio(query).expression, threshold(limits.errorRatio)),
      for: '5m',
      severity: 'warning',
      summary: `High error rate${model}`,
      description: `{{ $value | humanizePercentage }} of requests${model ? ' to {{ $labels.model }}' : ''} fail (threshold ${limits.errorRatio * 100} %).`,
      ...runbook(`${prefix}HighErrorRate`),
    }),
    alertRule({
      name: `${prefix}HighP99Latency`,
      expression: promql.gt(latencyQuantile(0.99, query).expression, threshold(limits.p99Latency)),
      for: '5m',
      severity: 'warning',
      summary: `P99 latency above ${limits.p99Latency} s${model}`,
      description:
        profile.latency.quantiles?.kind === 'summary'
          ? `The slowest instance's P99 (a summary, not aggregatable) is {{ $value | humanizeDuration }}.`
          : `P99 over all instances is {{ $value | humanizeDuration }}.`,
      ...runbook(`${prefix}HighP99Latency`),
    }),
    alertRule({
      name: `${prefix}LowBatchingEfficiency`,
      expression: promql.and(
        promql.lt(batchingEfficiency(query).expression, threshold(limits.batchingEfficiency)),
        promql.gt(requestRate(query).expression, threshold(limits.batchingMinimumRate)),
      ),
      for: '15m',
      severity: 'info',
      summary: `Low batching efficiency${model}`,
      description: `Batching saves only {{ $value | humanizePercentage }} of executions under load; raise max_queue_delay or check max_batch_size.`,
      ...runbook(`${prefix}LowBatchingEfficiency`),
    }),
  ];
  if (profile.gpu) {
    rules.push(
      alertRule({
        name: `${prefix}HighGpuUtilization`,
        expression: promql.gt(gpuUtilization(query).expression, threshold(limits.gpuUtilization)),
        for: '5m',
        severity: 'warning',
        summary: 'GPU {{ $labels.gpu_uuid }} on {{ $labels.instance }} is saturated',
        description: `GPU utilization is {{ $value | humanizePercentage }} (threshold ${limits.gpuUtilization * 100} %).`,
        ...runbook(`${prefix}HighGpuUtilization`),
      }),
      alertRule({
        name: `${prefix}GpuMemoryNearFull`,
        expression: promql.gt(gpuMemoryUsedRatio(query).expression, threshold(limits.gpuMemory)),
        for: '5m',
        severity: 'warning',
        summary: 'GPU {{ $labels.gpu_uuid }} on {{ $labels.instance }} is nearly out of memory',
        description: `GPU memory is {{ $value | humanizePercentage }} full (threshold ${limits.gpuMemory * 100} %).`,
        ...runbook(`${prefix}GpuMemoryNearFull`),
      }),
    );
  }
  return { name: options.groupName ?? `inferboard-${profile.id}`, rules };
}

/** The default Triton alerts (job `triton`). */
export function tritonAlerts(options: AlertSetOptions = {}): RuleGroup {
  return defaultAlerts({ ...options, profile: options.profile ?? tritonMetrics });
}

/** The default dynamic batcher alerts (job `inference-api`). */
export function batcherAlerts(options: AlertSetOptions = {}): RuleGroup {
  return defaultAlerts({ ...options, profile: options.profile ?? batcherMetrics });
}
