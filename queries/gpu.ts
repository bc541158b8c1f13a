/**
 * GPU gauges, from the server itself (Triton's `nv_gpu_*`) or from an exporter such as DCGM:
 * scaled to their units (DCGM's percent to 0-1, MiB to bytes), one series per GPU (MIG
 * instances apart), per host or per pod, and, beside an LLM server's panels, only the GPUs
 * that serve the selected models.
 */
import { promql } from './commonjs.js';
import { required, type MetricRef, type MetricsProfile } from './profile.js';
import { avgBy, guardedRatio, labelReplace, maxBy, promQuery, scaled, sumBy, type Expression } from './promql.js';
import {
  grouping,
  profileOf,
  resolveLabel,
  selector,
  type LabelFilter,
  type LabelName,
  type PromQuery,
  type QueryOptions,
} from './selectors.js';
import { templateVariables } from './variables.js';

/** Options of the GPU queries. */
export interface GpuQueryOptions extends QueryOptions {
  /**
   * The server whose panels these GPUs sit beside (vLLM beside DCGM): only the GPUs serving the
   * series the dashboard's variables select are read, joined by Kubernetes `namespace` and
   * `pod` where the exporter maps GPUs to pods, else by host (the serving `instance` without
   * its port against the GPU's host label). The GPU series are then not filtered by the
   * dashboard's `$job` and `$instance`, which are the server's. Default: none.
   */
  readonly servedBy?: MetricsProfile;
  /** Filters of the `servedBy` server's series (a preset's `filters`): the GPUs serving those targets only. Default none. */
  readonly servingFilters?: readonly LabelFilter[];
}

function gpuOf(options: QueryOptions) {
  const profile = profileOf(options);
  return required(profile, profile.gpu, 'GPU');
}

/** The labels of one GPU by meaning (default instance and gpu), for per-GPU series. */
export function perGpuLabels(profile: MetricsProfile): readonly LabelName[] {
  return profile.gpu?.perGpu ?? ['instance', 'gpu'];
}

/** Copies each older spelling of the host label into the current one (DCGM's `Hostname` into `hostname`). */
function normalizedHost(profile: MetricsProfile, expr: Expression): Expression {
  const host = profile.labels.host;
  return (profile.labels.hostAliases ?? []).reduce<Expression>(
    (normalized, alias) => (host ? labelReplace(normalized, host, '$1', alias, '(.+)') : normalized),
    expr,
  );
}

/**
 * The series of a GPU gauge: filtered by the dashboard's variables (`$host` under any spelling
 * of the host label: `x{Hostname=~"$host"} or x{hostname=~"$host"}`), the host label normalized.
 */
function gpuSeries(metric: MetricRef, options: GpuQueryOptions): Expression {
  const profile = profileOf(options);
  const { host, hostAliases = [] } = profile.labels;
  if (host === undefined || hostAliases.length === 0) return selector(metric, 'gpu', options);
  const byVariable = options.templateVariables !== false;
  const spelled = (label?: string): Expression => {
    const vector = selector(metric, 'gpu', options);
    return label ? vector.labelMatchRegexp(label, `$${templateVariables.host}`) : vector;
  };
  const either = byVariable ? hostAliases.reduce((expr, alias) => promql.or(expr, spelled(alias)), spelled(host)) : spelled();
  return normalizedHost(profile, either);
}

/** Copies `from` into `to` where they differ (DCGM's `exported_pod` when Prometheus renamed its `pod`). */
function copiedLabel(expr: Expression, from: string, to: string): Expression {
  return from === to ? expr : labelReplace(expr, to, '$1', from, '(.+)');
}

/**
 * The GPUs of `metric` that serve what the dashboard's variables select of `servedBy`:
 * `(gpu{pod!=""} and on (namespace, pod) serving) or (gpu and on (host) serving-by-host)`.
 */
function servingGpus(metric: MetricRef, options: GpuQueryOptions, servedBy: MetricsProfile): Expression {
  const profile = profileOf(options);
  const gpuOptions = { ...options, templateVariables: false };
  const serving = () =>
    selector({ name: servedBy.discoveryMetric }, 'model', {
      profile: servedBy,
      templateVariables: options.templateVariables,
      filters: options.servingFilters,
    });
  const joins: Expression[] = [];
  const { namespace, pod, host } = profile.labels;
  if (namespace && pod) {
    const mapped = gpuSeries(metric, {
      ...gpuOptions,
      filters: [...(options.filters ?? []), { label: 'pod', operator: '!=', value: '' }],
    });
    const asPods = copiedLabel(copiedLabel(mapped, namespace, 'namespace'), pod, 'pod');
    joins.push(promql.and(asPods, serving()).on(['namespace', 'pod']));
  }
  if (host) {
    const instance = resolveLabel(servedBy, 'instance') ?? 'instance';
    const servingHosts = labelReplace(serving(), host, '$1', instance, '(.+?)(?::[0-9]+)?');
    joins.push(promql.and(gpuSeries(metric, gpuOptions), servingHosts).on([host]));
  }
  const [first, ...rest] = joins;
  if (!first)
    throw new Error(`profile "${profile.id}" has neither pod nor host labels to join its GPUs to ${servedBy.displayName}`);
  return rest.reduce((either, join) => promql.or(either, join), first);
}

/** The GPU series of `metric`, of the serving GPUs when `servedBy` is given. */
function readGpus(metric: MetricRef, options: GpuQueryOptions): Expression {
  return options.servedBy ? servingGpus(metric, options, options.servedBy) : gpuSeries(metric, options);
}

function perGpu(options: GpuQueryOptions): string[] {
  return grouping(options, perGpuLabels(profileOf(options)));
}

/**
 * GPU utilization as a 0-1 ratio (Grafana unit `percentunit`), one series per GPU by default;
 * with a coarser `groupBy`, the average of the GPUs in each group.
 */
export function gpuUtilization(options: GpuQueryOptions = {}): PromQuery {
  const { utilization } = gpuOf(options);
  const by = perGpu(options);
  return promQuery(scaled(avgBy(by, readGpus(utilization, options)), utilization), by);
}

/** GPU memory in use, bytes, one series per GPU by default. */
export function gpuMemoryUsed(options: GpuQueryOptions = {}): PromQuery {
  const { memoryUsedBytes } = gpuOf(options);
  const by = perGpu(options);
  return promQuery(scaled(sumBy(by, readGpus(memoryUsedBytes, options)), memoryUsedBytes), by);
}

/**
 * GPU memory in use as a 0-1 ratio of the total, one series per GPU by default: used / total,
 * or used / (used + free) where the server reports free memory (DCGM).
 */
export function gpuMemoryUsedRatio(options: GpuQueryOptions = {}): PromQuery {
  const gpu = gpuOf(options);
  const profile = profileOf(options);
  const by = perGpu(options);
  const used = sumBy(by, readGpus(gpu.memoryUsedBytes, options));
  const sizeOf = (metric: MetricRef) => sumBy(by, readGpus(metric, options));
  const all = gpu.memoryTotalBytes
    ? sizeOf(gpu.memoryTotalBytes)
    : promql.add(sizeOf(gpu.memoryUsedBytes), sizeOf(required(profile, gpu.memoryFreeBytes, 'GPU memory total or free')));
  // Both sides in the same raw unit: the scale cancels out.
  return promQuery(guardedRatio(used, all), by);
}

/** GPU power draw in watts, one series per GPU by default. */
export function gpuPowerUsage(options: GpuQueryOptions = {}): PromQuery {
  const power = required(profileOf(options), gpuOf(options).powerWatts, 'GPU power');
  const by = perGpu(options);
  return promQuery(scaled(sumBy(by, readGpus(power, options)), power), by);
}

/** GPU temperature in degrees Celsius, one series per GPU by default; coarser groups read their hottest GPU. */
export function gpuTemperature(options: GpuQueryOptions = {}): PromQuery {
  const temperature = required(profileOf(options), gpuOf(options).temperatureCelsius, 'GPU temperature');
  const by = perGpu(options);
  return promQuery(scaled(maxBy(by, readGpus(temperature, options)), temperature), by);
}

/**
 * The last XID error of each GPU that reported one (DCGM keeps the code until the next), with its
 * message: `max by (GPU, err_msg) (xid) > 0`; no series while every GPU is clean.
 */
export function gpuXidErrors(options: GpuQueryOptions = {}): PromQuery {
  const xid = required(profileOf(options), gpuOf(options).xidErrors, 'GPU XID error');
  const by = [...perGpu(options), 'err_msg'];
  return promQuery(promql.gt(maxBy(by, readGpus(xid, options)), promql.n(0)), by);
}
