/**
 * The datasources the provisioning tree defines: Prometheus always; Loki and Tempo when a
 * dashboard of the build queries them, with the correlations Grafana offers between the three:
 * a Prometheus exemplar's trace id opens its trace, a log line's `trace_id` links to the trace,
 * and a span opens the logs of its trace. Written against Grafana 11-13's datasource provisioning.
 */
import {
  defaultScrapeInterval,
  logsDatasources,
  requestLogFormat,
  type DatasourceDefault,
  type LogsKind,
} from '../../queries/index.js';

/** Where Grafana reaches each datasource. */
export interface DatasourceUrls {
  /** Default `http://prometheus:9090`. */
  readonly prometheusUrl?: string;
  /** Default `http://loki:3100`. */
  readonly lokiUrl?: string;
  /** Default `http://tempo:3200`. */
  readonly tempoUrl?: string;
  /** Prometheus's scrape interval, for `$__rate_interval`. Default `15s`. */
  readonly scrapeInterval?: string;
}

/** One datasource of Grafana's provisioning file. */
export interface DatasourceEntry {
  readonly name: string;
  readonly uid: string;
  readonly type: 'prometheus' | LogsKind;
  readonly access: 'proxy';
  readonly url: string;
  readonly isDefault?: boolean;
  readonly editable: false;
  readonly jsonData: Readonly<Record<string, unknown>>;
}

/**
 * `entries` as a provisioning file holds them: Grafana expands `$NAME` and `${NAME}` in the file
 * from its environment, so each dollar of a value (`${__value.raw}`) is written `$$`.
 */
export function inProvisioningFile(entries: readonly DatasourceEntry[]): unknown[] {
  const escaped = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replaceAll('$', () => '$$')
      : Array.isArray(value)
        ? value.map(escaped)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escaped(item)]))
          : value;
  return entries.map(escaped);
}

/** The Loki and Tempo datasources of `used`, each pointing at the other for its correlations. */
export function logsDatasourceEntries(
  urls: DatasourceUrls,
  used: ReadonlySet<LogsKind>,
  prometheusUid: string,
): DatasourceEntry[] {
  const { loki, tempo } = logsDatasources;
  const entries: DatasourceEntry[] = [];
  if (used.has('loki')) {
    entries.push({
      name: loki.name,
      uid: loki.uid,
      type: 'loki',
      access: 'proxy',
      url: urls.lokiUrl ?? 'http://loki:3100',
      editable: false,
      jsonData: {
        // The trace id of a JSON request line, as a link to its trace.
        derivedFields: used.has('tempo')
          ? [
              {
                name: requestLogFormat.traceId,
                matcherRegex: `"${requestLogFormat.traceId}":\\s*"(\\w+)"`,
                url: '${__value.raw}',
                datasourceUid: tempo.uid,
                urlDisplayLabel: 'Trace',
              },
            ]
          : [],
      },
    });
  }
  if (used.has('tempo')) {
    entries.push({
      name: tempo.name,
      uid: tempo.uid,
      type: 'tempo',
      access: 'proxy',
      url: urls.tempoUrl ?? 'http://tempo:3200',
      editable: false,
      jsonData: {
        ...(used.has('loki')
          ? {
              // A span's logs: the lines of its service (its job) that carry its trace id.
              tracesToLogsV2: {
                datasourceUid: loki.uid,
                spanStartTimeShift: '-5m',
                spanEndTimeShift: '5m',
                filterByTraceID: true,
                filterBySpanID: false,
                tags: [{ key: 'service.name', value: 'job' }],
              },
              lokiSearch: { datasourceUid: loki.uid },
            }
          : {}),
        tracesToMetrics: { datasourceUid: prometheusUid },
        serviceMap: { datasourceUid: prometheusUid },
        nodeGraph: { enabled: true },
      },
    });
  }
  return entries;
}

/** The datasources of a build: Prometheus (its exemplars linking to Tempo where the build uses it), Loki and Tempo where used. */
export function datasourceEntries(
  datasource: DatasourceDefault,
  urls: DatasourceUrls,
  used: ReadonlySet<LogsKind>,
): DatasourceEntry[] {
  return [
    {
      name: datasource.name,
      uid: datasource.uid,
      type: 'prometheus',
      access: 'proxy',
      url: urls.prometheusUrl ?? 'http://prometheus:9090',
      isDefault: true,
      editable: false,
      jsonData: {
        timeInterval: urls.scrapeInterval ?? defaultScrapeInterval,
        httpMethod: 'POST',
        // A latency point's exemplar carries its request's trace id: open the trace.
        ...(used.has('tempo')
          ? { exemplarTraceIdDestinations: [{ name: requestLogFormat.traceId, datasourceUid: logsDatasources.tempo.uid }] }
          : {}),
      },
    },
    ...logsDatasourceEntries(urls, used, datasource.uid),
  ];
}
