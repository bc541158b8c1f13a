/**
 * LogQL over a server's structured request logs in Loki: one JSON line per request, in the
 * format of the LLM observability guide (`model`, `request_id`, `latency_ms`, `batch_size`,
 * `status`, `level`, `trace_id`), read from the streams of the dashboard's `$job` and `$instance`.
 */
import type { MetricsProfile } from './profile.js';
import { filterLabel, fixedMatch, profileOf, resolveLabel, type LabelFilter } from './selectors.js';
import { templateVariables } from './variables.js';

/** The field names of a structured request log line; each defaults to the guide's. */
export interface LogFormat {
  /** Default `model`. */
  readonly model: string;
  /** Default `request_id`. */
  readonly requestId: string;
  /** Milliseconds from arrival to response. Default `latency_ms`. */
  readonly latencyMs: string;
  /** Default `batch_size`. */
  readonly batchSize: string;
  /** `success` or `error`. Default `status`. */
  readonly status: string;
  /** `info`, `warn`, `error`. Default `level`. */
  readonly level: string;
  /** The W3C trace id of the request's span. Default `trace_id`. */
  readonly traceId: string;
}

/** The guide's format: `{"timestamp": ..., "level": "info", "model": "llama2_7b", "request_id": "abc-123", "latency_ms": 450, ...}`. */
export const requestLogFormat: LogFormat = {
  model: 'model',
  requestId: 'request_id',
  latencyMs: 'latency_ms',
  batchSize: 'batch_size',
  status: 'status',
  level: 'level',
  traceId: 'trace_id',
};

/** Options of the log queries. */
export interface LogQueryOptions {
  /** The server whose logs these are: its job and instance labels name the streams. Default Triton. */
  readonly profile?: MetricsProfile;
  /** Field names where the logs differ from {@link requestLogFormat}. */
  readonly format?: Partial<LogFormat>;
  /** Filter by the dashboard variables `$job`, `$instance` (stream labels) and `$model` (a field). Default `true`. */
  readonly templateVariables?: boolean;
  /** Filters: by stream label, and `model` by the line's model field. Default none. */
  readonly filters?: readonly LabelFilter[];
}

/** The format `options` give, the guide's where they name no field. */
export function logFormatOf(options: LogQueryOptions): LogFormat {
  return { ...requestLogFormat, ...options.format };
}

const quote = (value: string) => JSON.stringify(value);

/** `name op "value"`, the value checked and escaped as a PromQL filter's is. */
function matcher(name: string, filter: LabelFilter): string {
  const { operator, value } = fixedMatch(name, { operator: filter.operator ?? '=', value: filter.value });
  return `${name}${operator}${quote(value)}`;
}

/** A filter on the model reads the line's field, after `| json`; the others select streams by label. */
const isModelFilter = (filter: LabelFilter) => filter.label === 'model';

/**
 * The stream selector: `{job=~"$job", instance=~"$instance"}` by the profile's label names; with
 * `templateVariables: false`, the profile's default job (Loki refuses a selector matching every stream).
 */
export function logSelector(options: LogQueryOptions = {}): string {
  const profile = profileOf(options);
  const matchers: string[] = [];
  if (options.templateVariables !== false) {
    for (const label of ['job', 'instance'] as const) {
      const name = resolveLabel(profile, label);
      if (name) matchers.push(`${name}=~"$${templateVariables[label]}"`);
    }
  } else {
    matchers.push(`${resolveLabel(profile, 'job') ?? 'job'}=${quote(profile.defaultJob ?? profile.id)}`);
  }
  for (const filter of options.filters ?? []) {
    if (!isModelFilter(filter)) matchers.push(matcher(filterLabel(profile, filter), filter));
  }
  return `{${matchers.join(', ')}}`;
}

/**
 * The parsed request lines of the selected models: `{...} | json | model=~"$model"` (where the
 * profile has a model label, so the dashboard a `$model` variable), and the model filters.
 */
export function requestLogsQuery(options: LogQueryOptions = {}): string {
  const format = logFormatOf(options);
  const fields: string[] = [];
  if (options.templateVariables !== false && resolveLabel(profileOf(options), 'model') !== undefined)
    fields.push(`${format.model}=~"$${templateVariables.model}"`);
  for (const filter of (options.filters ?? []).filter(isModelFilter)) fields.push(matcher(format.model, filter));
  return [`${logSelector(options)} | json`, ...fields].join(' | ');
}

/** A metric query fails on any line `| json` could not parse: those are left out. */
const parsedOnly = ' | __error__=""';

/** The requests that failed, or were logged at error level or worse. */
export function errorLogsQuery(options: LogQueryOptions = {}): string {
  const format = logFormatOf(options);
  return `${requestLogsQuery(options)} | ${format.status}="error" or ${format.level}=~"error|fatal|critical"`;
}

/** Log lines per second by `by` (a field: `level` or `status`), over Grafana's step. */
export function logVolumeQuery(options: LogQueryOptions & { readonly by?: 'level' | 'status' } = {}): string {
  const field = logFormatOf(options)[options.by ?? 'level'];
  return `sum by (${field}) (rate(${requestLogsQuery(options)}${parsedOnly} [$__auto]))`;
}

/**
 * The slowest requests over the dashboard's range that took longer than `thresholdMs`: one row
 * each, with its id, model and milliseconds, the `limit` slowest.
 */
export function slowRequestsQuery(
  options: LogQueryOptions & { readonly thresholdMs?: number; readonly limit?: number } = {},
): string {
  const format = logFormatOf(options);
  const threshold = options.thresholdMs ?? 1000;
  const unwrapped = `${requestLogsQuery(options)} | ${format.latencyMs} > ${threshold} | unwrap ${format.latencyMs}${parsedOnly} [$__range]`;
  return `topk(${options.limit ?? 20}, max by (${format.requestId}, ${format.model}, ${format.traceId}) (max_over_time(${unwrapped})))`;
}
