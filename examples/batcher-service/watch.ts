/**
 * Reads a built dashboard's panels off a Prometheus as Grafana would at this instant: each
 * Prometheus target's PromQL with the dashboard variables expanded (every one at "All"), one value per series.
 *
 *   node --import tsx examples/batcher-service/watch.ts [--prometheus http://127.0.0.1:9090]
 *     [--dashboard dist/grafana/dashboards/Inference/inference-api-batcher.json] [--rate-interval 20s] [--range 5m]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { allPanels, expandVariables, promqlTargets, type Refresh } from 'inferboard';

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
}

/** Where to query, and what Grafana would fill in for this refresh. */
export interface RefreshOptions extends Refresh {
  readonly prometheusUrl: string;
}

/** One line of a panel: the series Grafana would draw or show, with its legend. */
export interface PanelValue {
  readonly panel: string;
  readonly refId: string;
  readonly legend: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: string;
}

/** The legend Grafana shows for a series: the legend format with `{{label}}` filled in, or its labels. */
function legendOf(target: Target, labels: Record<string, string>): string {
  const format = target.legendFormat;
  if (format && format !== '__auto') return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  return pairs.length > 0 ? `{${pairs.join(', ')}}` : target.refId;
}

/** Runs every target of every panel as one instant query and returns what each panel shows now. */
export async function panelValues(dashboard: grafana.Dashboard, options: RefreshOptions): Promise<PanelValue[]> {
  const lines: PanelValue[] = [];
  for (const panel of allPanels(dashboard)) {
    // $__interval is at least the panel's min interval (the heatmap's cell); else the rate interval stands in.
    const interval = (panel as { interval?: string }).interval ?? options.interval ?? options.rateInterval;
    // Log and trace panels read Loki and Tempo, which are not here.
    for (const target of promqlTargets<Target>(panel)) {
      const query = expandVariables(target.expr, dashboard, { ...options, interval });
      const response = await fetch(`${options.prometheusUrl}/api/v1/query?${new URLSearchParams({ query })}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success')
        throw new Error(`${panel.title} / ${target.refId}: Prometheus answered ${body.error ?? response.status} for ${query}`);
      for (const series of body.data?.result ?? []) {
        lines.push({
          panel: panel.title ?? '',
          refId: target.refId,
          legend: legendOf(target, series.metric),
          labels: series.metric,
          value: Number(series.value[1]),
          unit: panel.fieldConfig?.defaults?.unit ?? '',
        });
      }
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
      dashboard: { type: 'string', default: 'dist/grafana/dashboards/Inference/inference-api-batcher.json' },
      'rate-interval': { type: 'string', default: '20s' },
      range: { type: 'string', default: '5m' },
    },
    strict: true,
  });
  try {
    const dashboard = JSON.parse(readFileSync(values.dashboard, 'utf8')) as grafana.Dashboard;
    const lines = await panelValues(dashboard, {
      prometheusUrl: values.prometheus,
      rateInterval: values['rate-interval'],
      range: values.range,
    });
    const width = Math.max(...lines.map((line) => `${line.panel} / ${line.legend}`.length));
    for (const line of lines)
      console.log(`${`${line.panel} / ${line.legend}`.padEnd(width)}  ${Number(line.value.toPrecision(4))} ${line.unit}`);
  } catch (error) {
    console.error(`watch.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
