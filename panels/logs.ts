/**
 * Panels of a server's structured request logs in Loki (the LLM observability guide's format):
 * the requests themselves, the failures, the volume by level, and the slowest requests.
 */
import type * as logs from '@grafana/grafana-foundation-sdk/logs';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  errorLogsQuery,
  logFormatOf,
  logVolumeQuery,
  lokiDatasource,
  requestLogsQuery,
  slowRequestsQuery,
  type LogQueryOptions,
} from '../queries/index.js';
import { sdk } from '../queries/commonjs.js';
import { checkOptions } from '../queries/options.js';
import { colourBySuffix, inPanel, logsPanel, tablePanel, timeseriesPanel, type PanelOptions } from './common.js';

/** Options of the log panels: the log queries' and the panel's title, description and size. */
export interface LogPanelOptions extends LogQueryOptions {
  readonly title?: string;
  readonly description?: string;
  /** Width in grid columns (1-24). */
  readonly width?: number;
  readonly height?: number;
}

/** Options of {@link logVolume}. */
export interface LogVolumePanelOptions extends LogPanelOptions {
  /** The field the lines are counted by. Default `level`. */
  readonly by?: 'level' | 'status';
}

/** Options of {@link slowRequests}. */
export interface SlowRequestsPanelOptions extends LogPanelOptions {
  /** Requests over this many milliseconds. Default 1,000. */
  readonly thresholdMs?: number;
  /** Most requests listed. Default 20. */
  readonly limit?: number;
}

/** A Loki query target of `$loki`: over the time range, or (a table's) at its end. */
function lokiTarget(expr: string, refId: string, legend?: string, instant = false) {
  const target = new sdk.loki.DataqueryBuilder()
    .datasource(lokiDatasource)
    .refId(refId)
    .expr(expr)
    .queryType(instant ? sdk.loki.LokiQueryType.Instant : sdk.loki.LokiQueryType.Range);
  return legend ? target.legendFormat(legend) : target;
}

// The log panels share the panel factories of the metric ones; they read none of the metric query options.
const asPanel = (options: LogPanelOptions) => options as PanelOptions;

/**
 * The request log lines of the selected models, newest first, each parsed as JSON
 * (`{job=~"$job", instance=~"$instance"} | json | model=~"$model"`). Defaults: 24 x 10.
 */
export function requestLogs(options: LogPanelOptions = {}): logs.PanelBuilder {
  checkOptions('requestLogs', options);
  return inPanel(asPanel(options), 'Request logs', () =>
    logsPanel(asPanel(options), {
      source: lokiDatasource,
      title: 'Request logs',
      description:
        'One JSON line per request of the selected models, newest first: model, request id, latency, batch size, status, trace id. ' +
        'Open a line for its fields; its trace_id links to the trace in Tempo.',
      unit: 'none',
      width: 24,
      height: 10,
    }).withTarget(lokiTarget(requestLogsQuery(options), 'A')),
  );
}

/** The requests that failed or were logged at error level or worse. Defaults: 24 x 8. */
export function errorLogs(options: LogPanelOptions = {}): logs.PanelBuilder {
  checkOptions('errorLogs', options);
  const format = logFormatOf(options);
  return inPanel(asPanel(options), 'Error logs', () =>
    logsPanel(asPanel(options), {
      source: lokiDatasource,
      title: 'Error logs',
      description: `Request lines with ${format.status}="error" or ${format.level} error, fatal or critical, newest first. Good: none.`,
      unit: 'none',
      width: 24,
      height: 8,
    }).withTarget(lokiTarget(errorLogsQuery(options), 'A')),
  );
}

/**
 * Log lines per second of the selected models by `by` (the level, or the status), stacked:
 * errors red, warnings yellow, the rest green. Defaults: by level, unit `cps`, 12 x 8.
 */
export function logVolume(options: LogVolumePanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('logVolume', options);
  const field = logFormatOf(options)[options.by ?? 'level'];
  return inPanel(asPanel(options), 'Log volume', () => {
    const panel = timeseriesPanel(asPanel(options), {
      source: lokiDatasource,
      title: 'Log volume',
      description: `Request log lines per second by ${field}, stacked. Good: steady, no error. Bad: errors, or a burst of lines.`,
      unit: 'cps',
      width: 12,
      height: 8,
    })
      .stacking(new sdk.common.StackingConfigBuilder().mode(sdk.common.StackingMode.Normal))
      .withTarget(lokiTarget(logVolumeQuery(options), 'A', `{{${field}}}`));
    return colourBySuffix(panel, {
      error: 'red',
      fatal: 'dark-red',
      warn: 'yellow',
      warning: 'yellow',
      info: 'green',
      success: 'green',
    });
  });
}

/**
 * The slowest requests of the dashboard's range above `thresholdMs`, from the latency each
 * line logs: request id, model, trace id and milliseconds, the `limit` slowest. Defaults: over
 * 1,000 ms, 20 rows, unit `ms`, 12 x 8.
 */
export function slowRequests(options: SlowRequestsPanelOptions = {}): table.PanelBuilder {
  checkOptions('slowRequests', options);
  const threshold = options.thresholdMs ?? 1000;
  return inPanel(asPanel(options), 'Slowest requests', () =>
    tablePanel(asPanel(options), {
      source: lokiDatasource,
      title: 'Slowest requests',
      description: `Requests over ${threshold} ms in the time range, slowest first, from the latency each request line logs; the trace id opens its trace.`,
      unit: 'ms',
      width: 12,
      height: 8,
    })
      .withTarget(lokiTarget(slowRequestsQuery(options), 'A', undefined, true))
      // One row per request: its labels as columns, the frames merged into one table.
      .withTransformation({ id: 'labelsToFields', options: { mode: 'columns' } })
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({ id: 'sortBy', options: { sort: [{ field: 'Value', desc: true }] } }),
  );
}
