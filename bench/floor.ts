/**
 * The floor of the fleet benchmark: the dashboards of bench/fleet.ts, equal JSON, built with the
 * bare Foundation SDK (builders and JSON.stringify, nothing checked), as a team writing them by
 * hand with the SDK would. The values such a generator holds as literals (titles, descriptions,
 * queries, thresholds, positions) come from a template: one model's dashboard with a placeholder
 * for the model. It repeats inferboard's SDK calls on purpose and imports nothing of inferboard,
 * so that a process running it loads only the SDK.
 *
 *   node --import tsx bench/floor.ts <template.json> <out>   writes out/dashboards/Fleet/<uid>.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { models } from './fleetModels.js';

/** Stands for the model in the template's uid, title and queries. */
export const placeholder = 'MODEL-PLACEHOLDER';

type TemplatePanel = Omit<grafana.Panel, 'targets'> & { targets: prometheus.Dataquery[] };

function steps(panel: grafana.Panel): grafana.ThresholdsConfigBuilder | undefined {
  const thresholds = panel.fieldConfig?.defaults?.thresholds;
  return thresholds
    ? new grafana.ThresholdsConfigBuilder().mode(grafana.ThresholdsMode.Absolute).steps(thresholds.steps)
    : undefined;
}

/** The SDK builder of one panel, its queries for `model`. */
function sdkPanel(panel: TemplatePanel, model: string): timeseries.PanelBuilder | stat.PanelBuilder | gauge.PanelBuilder {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const thresholds = steps(panel);
  const targets = panel.targets.map((target) => {
    const query = new prometheus.DataqueryBuilder()
      .datasource(target.datasource ?? {})
      .refId(target.refId ?? '')
      .expr(target.expr.replaceAll(placeholder, model))
      .legendFormat(target.legendFormat ?? '');
    return target.instant ? query.instant() : query.range();
  });
  const reduce = () => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
  let builder;
  if (panel.type === 'timeseries') {
    builder = new timeseries.PanelBuilder()
      .legend(
        new common.VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(common.LegendDisplayMode.Table)
          .placement(common.LegendPlacement.Bottom)
          .calcs(['mean', 'max', 'lastNotNull']),
      )
      .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
      .lineWidth(1)
      .fillOpacity(10)
      .showPoints(common.VisibilityMode.Never);
    if (thresholds)
      builder.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  } else if (panel.type === 'stat') {
    builder = new stat.PanelBuilder()
      .reduceOptions(reduce())
      .colorMode(common.BigValueColorMode.Value)
      .graphMode(common.BigValueGraphMode.None);
  } else {
    builder = new gauge.PanelBuilder().reduceOptions(reduce()).showThresholdMarkers(true);
  }
  if (thresholds) builder.thresholds(thresholds);
  if (defaults.min !== undefined) builder.min(defaults.min);
  if (defaults.max !== undefined) builder.max(defaults.max);
  for (const override of panel.fieldConfig?.overrides ?? []) builder.withOverride(override);
  builder
    .id(panel.id ?? 0)
    .title(panel.title ?? '')
    .description(panel.description ?? '')
    .datasource(panel.datasource ?? {})
    .unit(defaults.unit ?? '')
    .gridPos(panel.gridPos ?? { h: 8, w: 12, x: 0, y: 0 });
  for (const target of targets) builder.withTarget(target);
  return builder;
}

/** The template variables, as the SDK builds them. */
function variables(template: grafana.Dashboard): cog.Builder<grafana.VariableModel>[] {
  return (template.templating?.list ?? []).map((variable) => {
    if (variable.type === 'datasource') {
      return new grafana.DatasourceVariableBuilder(variable.name)
        .label(variable.label ?? '')
        .type('prometheus')
        .current(variable.current as grafana.VariableOption);
    }
    return new grafana.QueryVariableBuilder(variable.name)
      .label(variable.label ?? '')
      .datasource(variable.datasource ?? {})
      .query(String(variable.query))
      .definition(variable.definition ?? '')
      .refresh(grafana.VariableRefresh.OnTimeRangeChanged)
      .sort(grafana.VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue(variable.allValue ?? '')
      .current(variable.current as grafana.VariableOption);
  });
}

/** One model's dashboard through the bare SDK. */
export function floorDashboard(template: grafana.Dashboard, model: string): grafana.Dashboard {
  const builder = new grafana.DashboardBuilder(`Fleet ${model}`)
    .uid(`fleet-${model}`)
    .tags(['inferboard'])
    .time({ from: 'now-15m', to: 'now' })
    .refresh('5s')
    .timezone('browser')
    .tooltip(grafana.DashboardCursorSync.Crosshair)
    .timepicker(new grafana.TimePickerBuilder().refreshIntervals(['5s', '10s', '30s', '1m', '5m', '15m']))
    .links([
      new grafana.DashboardLinkBuilder('Inference dashboards')
        .type(grafana.DashboardLinkType.Dashboards)
        .tags(['inferboard'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
        .targetBlank(false)
        .icon('external link')
        .tooltip('')
        .url(''),
    ])
    .variables(variables(template));
  for (const panel of template.panels ?? []) builder.withPanel(sdkPanel(panel as unknown as TemplatePanel, model));
  const { id: _instanceId, ...json } = builder.build();
  return json;
}

/** Every model's dashboard through the bare SDK, serialized as written; `write` takes each file. */
export function buildFloor(template: grafana.Dashboard, write: (uid: string, text: string) => void): void {
  for (const model of models) write(`fleet-${model}`, `${JSON.stringify(floorDashboard(template, model), null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [templateFile, out] = process.argv.slice(2) as [string, string];
  const folder = join(out, 'dashboards', 'Fleet');
  mkdirSync(folder, { recursive: true });
  buildFloor(JSON.parse(readFileSync(templateFile, 'utf8')), (uid, text) => writeFileSync(join(folder, `${uid}.json`), text));
}
