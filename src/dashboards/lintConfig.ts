/**
 * The lint rules a dashboard may turn off, by id: what a dashboard author names in its `lint`
 * option. src/check/lint.ts implements them.
 */

/** Every rule, by id, with what it asks for. */
export const lintRules = {
  'datasource-variable':
    'a $datasource variable of type datasource, used by every panel and target (a dashboard of logs and traces only is not asked)',
  'job-instance-variables': 'template variables named job and instance, where a panel queries Prometheus',
  'job-instance-matchers':
    'every series selector filters job=~"$job" and instance=~"$instance" (series the build\'s rules record: the labels their level keeps)',
  'panel-unit': 'time series, stat, gauge and bar gauge panels set a unit',
  'panel-title-description': 'every panel has a title and a description',
  'rate-interval':
    'rate(), irate() and increase() use $__rate_interval (or $__range for whole-range figures; increase() may count per step over $__interval)',
  'counter-rate': 'counters are read through rate(), irate() or increase(), never raw or averaged',
  'triton-total-suffix': 'no _total suffix where the server counters have none (Triton, TGI)',
  'unknown-metric': 'nv_ metrics are ones Triton exports (there is no nv_inference_request_duration_us_bucket)',
  'summary-quantile-aggregation': 'summary quantiles are not averaged or summed across series (use max, or group by instance)',
  'gauge-rate': 'gauges are not read through rate(), irate() or increase()',
  'gpu-utilization-scale': 'nv_gpu_utilization is 0-1: compare it with 0.9, not 90',
  'unguarded-ratio': 'a division by a series guards its divisor: a / (b > 0)',
  'unknown-variable': 'queries reference only variables the dashboard defines or Grafana provides',
  'uid-style': 'uids use lowercase a-z, 0-9 and - (Grafana accepts more; URLs and file names stay plain)',
  'log-stream-selector':
    'a log query selects its streams by a label value (`{job=~"$job"}`), not with matchers every stream passes (`{job=~".+"}`): Loki would read every stream',
  'log-json-fields':
    'fields a log query reads after `| json` are fields of the request log format (model, request_id, latency_ms, batch_size, status, level, trace_id)',
} as const;

export type LintRuleId = keyof typeof lintRules;

/** Rules to turn off: for the whole dashboard, or for panels by title. */
export interface LintConfig {
  readonly disable?: readonly LintRuleId[];
  readonly panels?: Readonly<Record<string, readonly LintRuleId[]>>;
}
