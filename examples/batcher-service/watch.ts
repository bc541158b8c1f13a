/**
 * Reads a built dashboard's panels off a Prometheus as Grafana would at this instant: each
 * target's PromQL with the dashboard variables expanded (every one at "All"), one value per series.
 *
 *   node --import tsx examples/batcher-service/watch.ts [--prometheus http://127.0.0.1:9090]
 *     [--dashboard dist/grafana/dashboards/Inference/inference-api-batcher.json] [--rate-interval 20s] [--range 5m]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
}

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
}

/** A dashboard as Grafana stores it; only what is read here. */
export interface DashboardJson {
  readonly panels?: readonly Panel[];
  readonly templating?: { readonly list?: readonly { readonly name: string; readonly allValue?: string }[] };
}

/** How Grafana would fill the built-in variables for this refresh. */
export interface RefreshOptions {
  readonly prometheusUrl: string;
  /** `$__rate_interval`: Grafana picks max(4 x scrape interval, step + scrape interval). */
  readonly rateInterval: string;
  /** `$__range`: the dashboard's time range. */
  readonly range: string;
  /** Values of dashboard variables; unset ones take their "All" value. */
  readonly variables?: Readonly<Record<string, string>>;
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

/** Expands `$name` and `${name}` as Grafana does for a refresh with every variable at "All". */
export function expandVariables(expr: string, dashboard: DashboardJson, options: RefreshOptions): string {
  const values: Record<string, string> = { __rate_interval: options.rateInterval, __range: options.range };
  for (const variable of dashboard.templating?.list ?? []) values[variable.name] = variable.allValue ?? '.*';
  Object.assign(values, options.variables);
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for dashboard variable ${whole} in ${expr}`);
    return value;
  });
}

/** The legend Grafana shows for a series: the legend format with `{{label}}` filled in, or its labels. */
function legendOf(target: Target, labels: Record<string, string>): string {
  const format = target.legendFormat;
  if (format && format !== '__auto') return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  return pairs.length > 0 ? `{${pairs.join(', ')}}` : target.refId;
}

function panelsOf(dashboard: DashboardJson): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Runs every target of every panel as one instant query and returns what each panel shows now. */
export async function panelValues(dashboard: DashboardJson, options: RefreshOptions): Promise<PanelValue[]> {
  const lines: PanelValue[] = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      const query = expandVariables(target.expr, dashboard, options);
      const response = await fetch(`${options.prometheusUrl}/api/v1/query?${new URLSearchParams({ query })}`);
      const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`${panel.title} / ${target.refId}: Prometheus answered ${body.error ?? response.status} for ${query}`);
      for (const series of body.data?.result ?? []) {
        lines.push({
          panel: panel.title,
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
    const dashboard = JSON.parse(readFileSync(values.dashboard, 'utf8')) as DashboardJson;
    const lines = await panelValues(dashboard, { prometheusUrl: values.prometheus, rateInterval: values['rate-interval'], range: values.range });
    const width = Math.max(...lines.map((line) => `${line.panel} / ${line.legend}`.length));
    for (const line of lines) console.log(`${`${line.panel} / ${line.legend}`.padEnd(width)}  ${Number(line.value.toPrecision(4))} ${line.unit}`);
  } catch (error) {
    console.error(`watch.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
