/**
 * Walking built dashboard JSON: every check, the diff and the preview read panels through it.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { logsDatasources, type LogsKind } from '../../queries/index.js';

/** Every panel, including those inside collapsed rows. */
export function allPanels(json: grafana.Dashboard): grafana.Panel[] {
  // A loop, not flatMap: every check walks every dashboard's panels, a fleet build 6,000 times.
  const panels: grafana.Panel[] = [];
  for (const panel of json.panels ?? []) {
    panels.push(panel as grafana.Panel);
    if (panel.type === 'row') panels.push(...((panel as grafana.RowPanel).panels ?? []));
  }
  return panels;
}

/** The query languages the checks read, by datasource type. */
export type QueryLanguage = 'promql' | 'logql' | 'traceql';

const languages: Readonly<Record<string, QueryLanguage>> = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' };

/**
 * The language of a target's query: its datasource's type (the target's, else the panel's);
 * Prometheus where neither names one. Undefined for a datasource the checks do not read.
 */
export function queryLanguage(panel: { datasource?: unknown }, target: { datasource?: unknown }): QueryLanguage | undefined {
  const type = ((target.datasource ?? panel.datasource) as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? languages[type] : 'promql';
}

/** The targets of a panel whose queries are PromQL. */
export function promqlTargets<T extends object>(panel: grafana.Panel): T[] {
  return ((panel.targets ?? []) as unknown as T[]).filter(
    (target) => queryLanguage(panel, target as { datasource?: unknown }) === 'promql',
  );
}

/** The Loki and Tempo datasources `panels` query, by the panel's datasource or a target's. */
export function logsKindsOf(panels: Iterable<grafana.Panel>): Set<LogsKind> {
  const kinds = new Set<LogsKind>();
  for (const panel of panels) {
    const targets = (panel.targets ?? []) as { datasource?: { type?: unknown } }[];
    for (const source of [panel.datasource, ...targets.map((target) => target.datasource)]) {
      const type = source?.type;
      if (typeof type === 'string' && Object.hasOwn(logsDatasources, type)) kinds.add(type as LogsKind);
    }
  }
  return kinds;
}
