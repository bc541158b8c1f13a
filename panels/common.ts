/**
 * Factories shared by the panel families: datasource, targets, legends, thresholds and the
 * defaults of each visualization. Panels get PromQL only from `queries/`.
 */
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import type * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import type * as logs from '@grafana/grafana-foundation-sdk/logs';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  datasource,
  topSeries,
  type MetricsProfile,
  type PromQuery,
  type QueryOptions,
  type SeriesRank,
} from '../queries/index.js';
import { gridColumns, maximumTitleLength } from './limits.js';
import { sdk } from '../queries/commonjs.js';

/** A threshold step: `value: null` is the base colour below the first number. */
export interface Threshold {
  readonly value: number | null;
  readonly color: string;
}

/** Options every panel takes; all optional, with the defaults each panel documents. */
export interface PanelOptions extends QueryOptions {
  readonly title?: string;
  /** Shown in the panel's (i) tooltip; the default says what is shown and what good looks like. */
  readonly description?: string;
  /** A Grafana unit id (`s`, `reqps`, `percentunit`, `bytes`, ...). */
  readonly unit?: string;
  /** Colour steps; the first has `value: null`, the rest ascend. */
  readonly thresholds?: readonly Threshold[];
  /** Width in grid columns (1-24, Grafana's grid). */
  readonly width?: number;
  /** Height in grid rows. */
  readonly height?: number;
  /**
   * Most series a time series query draws: those with the largest average over the dashboard's
   * time range (`topk`), so the legend stays readable with every model selected. Applies to
   * queries split by labels; 0 draws all. Default 10.
   */
  readonly topSeries?: number;
}

/** `options` with `fallback` as the profile where the caller gave none: the LLM panels default to vLLM. */
export function withProfile<T extends QueryOptions>(options: T, fallback: MetricsProfile): T {
  return options.profile ? options : { ...options, profile: fallback };
}

/** Which GPUs a GPU panel reads, for its description. */
export function gpuSelection(options: QueryOptions & { readonly servedBy?: MetricsProfile }): string {
  if (options.servedBy)
    return `the GPUs serving the selected ${options.servedBy.displayName} models (joined by pod, else by host)`;
  return options.templateVariables === false ? 'every GPU' : 'the GPUs the dashboard variables select';
}

/** What a panel family fills in where the caller did not. */
export interface PanelDefaults {
  /** The panel's datasource. Default the dashboard's `$datasource` (Prometheus). */
  readonly source?: common.DataSourceRef;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly thresholds?: readonly Threshold[];
  readonly width: number;
  readonly height: number;
}

/** `{{model}} {{instance}} P95`: one legend entry per grouped series, with an optional suffix. */
export function legendFormat(by: readonly string[], suffix = ''): string {
  const labels = by.map((label) => `{{${label}}}`).join(' ');
  return [labels, suffix].filter((part) => part !== '').join(' ') || '__auto';
}

/** How a target asks Prometheus: over the range (default) or at its end, and in which format. */
export interface TargetOptions {
  /** Evaluate at the end of the range only (stats, tables). Default `false`. */
  readonly instant?: boolean;
  readonly format?: prometheus.PromQueryFormat;
}

/** The refId of a panel's `index`-th target: A-Z, then Q26, Q27, ... */
export function refId(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `Q${index}`;
}

/**
 * `text` as one flat string. Queries and descriptions are concatenated from dozens of pieces,
 * which V8 keeps as a tree of fragments until the text is first read: a fleet of dashboards
 * would hold and copy hundreds of thousands of them through every garbage collection.
 */
function flat(text: string): string {
  // Reading a character makes V8 flatten the string in place.
  text.charCodeAt(0);
  return text;
}

/** A Prometheus target for `query`. */
export function target(
  query: PromQuery,
  refId: string,
  legend: string,
  options: TargetOptions = {},
): prometheus.DataqueryBuilder {
  const builder = new sdk.prometheus.DataqueryBuilder()
    .datasource(datasource)
    .refId(refId)
    .expr(flat(query.expr))
    .legendFormat(legend);
  if (options.instant) builder.instant();
  else builder.range();
  if (options.format) builder.format(options.format);
  return builder;
}

/** Legend entries a split time series query draws unless `topSeries` says otherwise. */
export const defaultTopSeries = 10;

/**
 * A time series target for `query`: one legend entry per series (labels of `query.by`, then
 * `suffix`), at most `topSeries`, ranked by `rank` (default the largest).
 */
export function seriesTarget(
  query: PromQuery,
  refId: string,
  options: PanelOptions,
  suffix = '',
  rank?: SeriesRank,
): prometheus.DataqueryBuilder {
  return target(topSeries(query, options.topSeries ?? defaultTopSeries, rank), refId, legendFormat(query.by, suffix));
}

/** Checks threshold steps (base first, then strictly ascending finite numbers) and builds them. */
export function thresholds(steps: readonly Threshold[]): dashboard.ThresholdsConfigBuilder {
  steps.forEach((step, index) => {
    if (index === 0 ? step.value !== null : !Number.isFinite(step.value)) {
      throw new Error(
        index === 0 ? 'the first threshold is the base and must have value null' : `threshold ${index} is not a finite number`,
      );
    }
    const previous = steps[index - 1]?.value;
    if (index > 1 && typeof previous === 'number' && (step.value as number) <= previous) {
      throw new Error(`thresholds must ascend: ${step.value} follows ${previous}`);
    }
  });
  return new sdk.dashboard.ThresholdsConfigBuilder()
    .mode(sdk.dashboard.ThresholdsMode.Absolute)
    .steps(steps.map((step) => ({ value: step.value, color: step.color })));
}

/**
 * Runs a panel family's body so that any error (a quantile out of range, a metric the profile
 * lacks) names the panel: such errors surface while a dashboard module loads.
 */
export function inPanel<T>(options: PanelOptions, defaultTitle: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('panel ')) throw error;
    throw new Error(`panel ${JSON.stringify(options.title ?? defaultTitle)}: ${message}`, { cause: error });
  }
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || width < 1 || width > gridColumns)
    throw new Error(`panel width ${width} is outside 1-${gridColumns} grid columns`);
  if (!Number.isInteger(height) || height < 1) throw new Error(`panel height ${height} is not a positive whole number`);
}

interface CommonBuilder<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(datasource: common.DataSourceRef): T;
  unit(unit: string): T;
  thresholds(thresholds: dashboard.ThresholdsConfigBuilder): T;
  span(span: number): T;
  height(height: number): T;
}

/** Lint rules a panel builder's own options turn off for its panel, by builder. */
const lintExemptions = new WeakMap<object, readonly string[]>();

/**
 * The lint rules `builder`'s options turn off for its panel: a `window` the caller chose
 * (`window: '5m'`) is not the slip `rate-interval` looks for in hand-written queries, nor a log
 * `format` of the caller's the slip `log-json-fields` looks for.
 */
export function lintExemptionsOf(builder: object): readonly string[] {
  return lintExemptions.get(builder) ?? [];
}

/** Applies title, description, unit, thresholds and size, the caller's options winning over defaults. */
function base<T extends CommonBuilder<T>>(builder: T, options: PanelOptions, defaults: PanelDefaults): T {
  const exempt: string[] = [];
  if (options.window !== undefined && options.window !== '$__rate_interval' && options.window !== '$__range')
    exempt.push('rate-interval');
  // A log format of the caller's own names the fields its log queries read.
  if ((options as { format?: unknown }).format !== undefined) exempt.push('log-json-fields');
  if (exempt.length > 0) lintExemptions.set(builder, exempt);
  const title = options.title ?? defaults.title;
  if (title.trim() === '') throw new Error(`panel title is empty (default "${defaults.title}")`);
  if (title.length > maximumTitleLength)
    throw new Error(`panel title "${title.slice(0, 40)}..." is longer than ${maximumTitleLength} characters`);
  const width = options.width ?? defaults.width;
  const height = options.height ?? defaults.height;
  const steps = options.thresholds ?? defaults.thresholds;
  try {
    checkSize(width, height);
    if (steps) builder.thresholds(thresholds(steps));
  } catch (error) {
    // Name the panel: the error surfaces while a dashboard module loads, before any layout.
    throw new Error(`panel ${JSON.stringify(title)}: ${(error as Error).message}`, { cause: error });
  }
  return builder
    .title(title)
    .description(flat(options.description ?? defaults.description))
    .datasource(defaults.source ?? datasource)
    .unit(options.unit ?? defaults.unit)
    .span(width)
    .height(height);
}

/** A time series with a table legend (mean, max, last) and a shared, sorted tooltip. */
export function timeseriesPanel(options: PanelOptions, defaults: PanelDefaults): timeseries.PanelBuilder {
  const panel = base(new sdk.timeseries.PanelBuilder(), options, defaults)
    .legend(
      new sdk.common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(sdk.common.LegendDisplayMode.Table)
        .placement(sdk.common.LegendPlacement.Bottom)
        .calcs(['mean', 'max', 'lastNotNull']),
    )
    .tooltip(
      new sdk.common.VizTooltipOptionsBuilder().mode(sdk.common.TooltipDisplayMode.Multi).sort(sdk.common.SortOrder.Descending),
    )
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(sdk.common.VisibilityMode.Never);
  if (options.thresholds ?? defaults.thresholds) {
    // Thresholds on a time series are reference lines (e.g. "P95 should stay under 500 ms").
    panel.thresholdsStyle(new sdk.common.GraphThresholdsStyleConfigBuilder().mode(sdk.common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

/** The colour of each series whose legend ends with a word (a key): `{ success: 'green', failure: 'red' }`. */
export type SeriesColours = Readonly<Record<string, string>>;

/**
 * Field overrides giving each series whose legend ends with a key of `colours` that fixed colour.
 * They match with `byRegexpOrNames`, whose options are an object as Grafana's dashboard schema
 * requires of every matcher (`byRegexp` takes a bare string).
 */
export function colourBySuffix<
  T extends { withOverride(override: { matcher: dashboard.MatcherConfig; properties: dashboard.DynamicConfigValue[] }): T },
>(panel: T, colours: SeriesColours): T {
  for (const [suffix, colour] of Object.entries(colours)) {
    panel.withOverride({
      matcher: { id: 'byRegexpOrNames', options: { pattern: `/(^|\\s)${suffix}$/` } },
      properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: colour } }],
    });
  }
  return panel;
}

/** A single number reduced to its last value, coloured by thresholds. */
export function statPanel(options: PanelOptions, defaults: PanelDefaults): stat.PanelBuilder {
  return base(new sdk.stat.PanelBuilder(), options, defaults)
    .reduceOptions(new sdk.common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(sdk.common.BigValueColorMode.Value)
    .graphMode(sdk.common.BigValueGraphMode.None);
}

/** A gauge reduced to its last value. */
export function gaugePanel(options: PanelOptions, defaults: PanelDefaults): gauge.PanelBuilder {
  return base(new sdk.gauge.PanelBuilder(), options, defaults)
    .reduceOptions(new sdk.common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .showThresholdMarkers(true);
}

/** A table of instant queries. */
export function tablePanel(options: PanelOptions, defaults: PanelDefaults): table.PanelBuilder {
  return base(new sdk.table.PanelBuilder(), options, defaults);
}

/** A logs panel: newest first, with time, wrapped lines and each line's fields on opening it. */
export function logsPanel(options: PanelOptions, defaults: PanelDefaults): logs.PanelBuilder {
  return base(new sdk.logs.PanelBuilder(), options, defaults)
    .showTime(true)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(sdk.common.LogsSortOrder.Descending)
    .dedupStrategy(sdk.common.LogsDedupStrategy.None);
}

/** A heatmap of pre-bucketed series (Prometheus `le` buckets), not recalculated by Grafana. */
export function heatmapPanel(options: PanelOptions, defaults: PanelDefaults): heatmap.PanelBuilder {
  return base(new sdk.heatmap.PanelBuilder(), options, defaults)
    .calculate(false)
    .color(new sdk.heatmap.HeatmapColorOptionsBuilder().mode(sdk.heatmap.HeatmapColorMode.Scheme).scheme('Oranges').steps(64))
    .yAxis(new sdk.heatmap.YAxisConfigBuilder().unit('short'));
}
