/**
 * A dashboard as Grafana exports, shares or stores it, read into today's classic model before it
 * becomes code: the API's `{ dashboard }` wrapper unwrapped, `__inputs` placeholders
 * (`${DS_PROMETHEUS}`) turned into the dashboard's `$datasource` variable, datasources given by
 * name made references, panels of pre-5 `rows` laid out on the grid, legacy `graph` and
 * `singlestat` panels made `timeseries` and `stat`, and ids and refIds given where missing.
 * Each conversion is listed, so that the import says what it changed.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { gridColumns } from '../../panels/limits.js';
import { defaultScrapeInterval, durationSeconds, formatDuration, isDuration } from '../../queries/index.js';

type Json = Record<string, unknown>;
type Panel = Json & { type?: string; title?: string; panels?: Panel[]; targets?: Json[]; gridPos?: grafana.GridPos };

/** A dashboard read for import, and the conversions made reading it. */
export interface NormalizedDashboard {
  readonly json: grafana.Dashboard;
  /** One line each: `panel "GPU": legacy graph panel made a timeseries (its yaxes, lines and fill carried over)`. */
  readonly conversions: string[];
}

/** The variable that stands for the Prometheus datasource. */
export const datasourceVariable = 'datasource';
const datasourceReference = { type: 'prometheus', uid: `\${${datasourceVariable}}` };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `${DS_PROMETHEUS}` and the other `__inputs` placeholders of a datasource, replaced everywhere by `${datasource}`. */
function replacePlaceholders(text: string, inputs: readonly string[]): string {
  return inputs.reduce((result, name) => result.split(`\${${name}}`).join(`\${${datasourceVariable}}`), text);
}

/**
 * A panel's or target's datasource as a reference: a variable (`$datasource`) or a reference is
 * kept; a datasource named by its name (Grafana 6) becomes the `$datasource` variable, which
 * `named` records.
 */
function datasourceOf(value: unknown, named: { found: boolean }): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value.startsWith('$')) return { type: 'prometheus', uid: value };
    if (value.startsWith('-- ')) return { type: 'datasource', uid: value };
    named.found = true;
    return datasourceReference;
  }
  // A reference is its type and uid (a stored `default: false` is not one of its fields).
  if (!isObject(value)) return undefined;
  return {
    type: typeof value.type === 'string' ? value.type : 'prometheus',
    ...(typeof value.uid === 'string' ? { uid: value.uid } : {}),
  };
}

/** Grafana 6's graph options read into a timeseries panel's field config and options. */
function fromGraph(panel: Panel): Panel {
  const {
    yaxes,
    lines,
    bars,
    points,
    fill,
    linewidth,
    stack,
    legend,
    tooltip,
    nullPointMode: _nullPointMode,
    aliasColors: _aliasColors,
    seriesOverrides: _seriesOverrides,
    xaxis: _xaxis,
    yaxis: _yaxis,
    dashes: _dashes,
    dashLength: _dashLength,
    spaceLength: _spaceLength,
    pointradius: _pointradius,
    percentage: _percentage,
    steppedLine: _steppedLine,
    renderer: _renderer,
    timeRegions: _timeRegions,
    thresholds: _thresholds,
    fillGradient: _fillGradient,
    hiddenSeries: _hiddenSeries,
    ...rest
  } = panel;
  const axis = Array.isArray(yaxes) && isObject(yaxes[0]) ? yaxes[0] : {};
  const defaults: Json = {
    ...(typeof axis.format === 'string' ? { unit: axis.format } : {}),
    ...(typeof axis.min === 'string' || typeof axis.min === 'number' ? { min: Number(axis.min) } : {}),
    ...(typeof axis.max === 'string' || typeof axis.max === 'number' ? { max: Number(axis.max) } : {}),
    custom: {
      drawStyle: bars ? 'bars' : points && !lines ? 'points' : 'line',
      lineWidth: typeof linewidth === 'number' ? linewidth : 1,
      fillOpacity: typeof fill === 'number' ? fill * 10 : 0,
      ...(stack ? { stacking: { mode: 'normal', group: 'A' } } : {}),
    },
  };
  const legendOptions = isObject(legend) ? legend : {};
  const calcs = ['avg', 'max', 'min', 'current', 'total'].filter((calc) => legendOptions[calc] === true);
  return {
    ...rest,
    type: 'timeseries',
    fieldConfig: { defaults, overrides: [] },
    options: {
      legend: {
        showLegend: legendOptions.show !== false,
        displayMode: legendOptions.alignAsTable ? 'table' : 'list',
        placement: legendOptions.rightSide ? 'right' : 'bottom',
        calcs: calcs.map((calc) => ({ avg: 'mean', current: 'lastNotNull', total: 'sum' })[calc] ?? calc),
      },
      tooltip: { mode: isObject(tooltip) && tooltip.shared ? 'multi' : 'single', sort: 'none' },
    },
  };
}

/** Grafana 6's singlestat as a stat panel: its format, thresholds and value. */
function fromSinglestat(panel: Panel): Panel {
  const { format, thresholds, colors, valueName, ...rest } = panel;
  const bounds = typeof thresholds === 'string' ? thresholds.split(',').map(Number).filter(Number.isFinite) : [];
  const palette = Array.isArray(colors) ? (colors as string[]) : ['green', 'yellow', 'red'];
  const steps = [
    { value: null, color: palette[0] ?? 'green' },
    ...bounds.map((value, index) => ({ value, color: palette[index + 1] ?? 'red' })),
  ];
  return {
    ...rest,
    type: 'stat',
    fieldConfig: {
      defaults: { ...(typeof format === 'string' ? { unit: format } : {}), thresholds: { mode: 'absolute', steps } },
      overrides: [],
    },
    options: {
      reduceOptions: {
        calcs: [valueName === 'current' || valueName === undefined ? 'lastNotNull' : String(valueName)],
        values: false,
        fields: '',
      },
    },
  };
}

/** Grafana 6's `options.fieldOptions` of a gauge, stat or bar gauge, moved where Grafana 7 reads them: field config and reduce options. */
function fromFieldOptions(panel: Panel): Panel {
  const options = isObject(panel.options) ? panel.options : {};
  const { fieldOptions, ...rest } = options;
  if (!isObject(fieldOptions)) return panel;
  const { defaults = {}, overrides = [], calcs, values, limit, ...unknown } = fieldOptions as Json & { defaults?: Json };
  const { nullValueMode: _nullValueMode, ...fieldDefaults } = defaults as Json;
  const fieldConfig = isObject(panel.fieldConfig) ? panel.fieldConfig : {};
  const reduceOptions = isObject(rest.reduceOptions) ? rest.reduceOptions : {};
  return {
    ...panel,
    fieldConfig: {
      ...fieldConfig,
      defaults: { ...fieldDefaults, ...(isObject(fieldConfig.defaults) ? fieldConfig.defaults : {}) },
      overrides,
    },
    options: {
      ...rest,
      reduceOptions: {
        ...reduceOptions,
        ...(calcs ? { calcs } : {}),
        ...(values !== undefined ? { values } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...unknown,
      },
    },
  };
}

/** Panels of a pre-5 dashboard's `rows`: a row panel each, then its panels left to right at `span` widths and pixel heights. */
function fromRows(rows: Json[]): Panel[] {
  const panels: Panel[] = [];
  let y = 0;
  for (const row of rows) {
    const title = typeof row.title === 'string' ? row.title : '';
    const height = Math.max(1, Math.round((Number.parseInt(String(row.height ?? '250'), 10) || 250) / 30));
    if (row.showTitle !== false && title) {
      panels.push({
        type: 'row',
        title,
        collapsed: row.collapse === true,
        panels: [],
        gridPos: { x: 0, y, w: gridColumns, h: 1 },
      });
      y += 1;
    }
    let x = 0;
    for (const panel of (row.panels ?? []) as Panel[]) {
      const w = Math.min(gridColumns, Math.max(1, Math.round(Number(panel.span ?? 12) * 2)));
      if (x + w > gridColumns) {
        x = 0;
        y += height;
      }
      const { span: _span, height: _height, ...rest } = panel;
      panels.push({ ...rest, gridPos: { x, y, w, h: height } });
      x += w;
    }
    y += height;
  }
  return panels;
}

/** The panel's targets with refIds, their datasources as references. */
function targetsOf(panel: Panel, named: { found: boolean }): Json[] {
  return (panel.targets ?? []).map((target, index) => {
    const { datasource, ...rest } = target;
    const reference = datasourceOf(datasource, named);
    return {
      ...rest,
      refId: typeof target.refId === 'string' ? target.refId : String.fromCharCode(65 + index),
      ...(reference ? { datasource: reference } : {}),
    };
  });
}

/**
 * Reads an exported, shared or stored dashboard (JSON text of `file`) into the classic model, with
 * the conversions it took. Throws, naming the file, where the text is no dashboard.
 */
export function normalizeDashboard(text: string, file: string): NormalizedDashboard {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const conversions: string[] = [];
  const unwrapped = isObject(parsed) && isObject(parsed.dashboard) ? parsed.dashboard : parsed;
  if (unwrapped !== parsed) conversions.push('the API body { dashboard, ... } unwrapped');
  if (!isObject(unwrapped) || typeof unwrapped.title !== 'string')
    throw new Error(`${file}: not a Grafana dashboard (a JSON object with a title)`);
  // Grafana 6 saved its UI's `$$hashKey`s into the JSON: state of no meaning to a dashboard.
  let dashboard = JSON.parse(
    JSON.stringify(unwrapped, (key, value: unknown) => (key === '$$hashKey' ? undefined : value)),
  ) as Json;
  if (JSON.stringify(unwrapped).includes('"$$hashKey"')) conversions.push("Grafana 6's $$hashKey UI state dropped");
  const inputs = (Array.isArray(dashboard.__inputs) ? (dashboard.__inputs as Json[]) : [])
    .filter((input) => input.type === 'datasource')
    .map((input) => String(input.name));
  if (inputs.length > 0) {
    dashboard = JSON.parse(replacePlaceholders(JSON.stringify(dashboard), inputs)) as Json;
    conversions.push(
      `the __inputs placeholders ${inputs.map((name) => `\${${name}}`).join(', ')} made the $${datasourceVariable} variable`,
    );
  }
  const {
    __inputs: _inputs,
    __requires: _requires,
    __elements: _elements,
    rows,
    id: _id,
    version: _version,
    gnetId: _gnetId,
    iteration: _iteration,
    ...rest
  } = dashboard;
  let panels = (Array.isArray(dashboard.panels) ? dashboard.panels : []) as Panel[];
  if (panels.length === 0 && Array.isArray(rows) && rows.length > 0) {
    panels = fromRows(rows as Json[]);
    conversions.push('the pre-5 rows laid out on the 24-column grid (span x 2 columns, 30 px a grid row)');
  }
  let nextId =
    Math.max(0, ...panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).map((panel) => Number(panel.id) || 0)) + 1;
  const seen = new Set<number>();
  const named = { found: inputs.length > 0 };
  const normalizePanel = (panel: Panel, index: number): Panel => {
    let converted: Panel = panel;
    const title = JSON.stringify(panel.title ?? '');
    if (panel.type === 'graph') {
      converted = fromGraph(panel);
      conversions.push(
        `panel ${title}: the legacy graph panel made a timeseries (unit, min, max, lines, bars, fill, stacking and legend carried over)`,
      );
    } else if (isObject(panel.options) && isObject(panel.options.fieldOptions)) {
      converted = fromFieldOptions(panel);
      conversions.push(
        `panel ${title}: Grafana 6's options.fieldOptions moved to fieldConfig.defaults and options.reduceOptions`,
      );
    } else if (panel.type === 'singlestat') {
      converted = fromSinglestat(panel);
      conversions.push(`panel ${title}: the legacy singlestat panel made a stat (format, thresholds and value carried over)`);
    }
    let id = Number(converted.id);
    if (!Number.isInteger(id) || id < 1 || seen.has(id)) id = nextId++;
    seen.add(id);
    const gridPos = converted.gridPos ?? { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 };
    if (!converted.gridPos) conversions.push(`panel ${title}: no gridPos: placed 12 x 8, two a line`);
    const reference = datasourceOf(converted.datasource, named);
    const { datasource: _datasource, ...fields } = converted;
    // A min interval under two scrape intervals leaves $__interval windows holding one sample.
    const minimum = formatDuration(2 * durationSeconds(defaultScrapeInterval));
    if (
      typeof fields.interval === 'string' &&
      isDuration(fields.interval) &&
      durationSeconds(fields.interval) < durationSeconds(minimum)
    ) {
      conversions.push(
        `panel ${title}: its min interval ${fields.interval} raised to ${minimum}, two scrape intervals of ${defaultScrapeInterval}`,
      );
      fields.interval = minimum;
    }
    // A base threshold written without `value` is the `value: null` Grafana's schema asks for.
    const steps = (fields.fieldConfig as { defaults?: { thresholds?: { steps?: Json[] } } } | undefined)?.defaults?.thresholds
      ?.steps;
    for (const step of steps ?? []) if (!('value' in step)) step.value = null;
    return {
      ...fields,
      id,
      gridPos,
      ...(reference ? { datasource: reference } : {}),
      ...(converted.type === 'row'
        ? { panels: (converted.panels ?? []).map((inner, innerIndex) => normalizePanel(inner, innerIndex)) }
        : { targets: targetsOf(converted, named) }),
    };
  };
  const normalized = panels.map(normalizePanel);
  const templating = isObject(rest.templating) && Array.isArray(rest.templating.list) ? (rest.templating.list as Json[]) : [];
  const variables: Json[] = templating.map((variable) => {
    const reference = datasourceOf(variable.datasource, named);
    const { current, ...fields } = variable;
    // An exported `current: {}` is no selection: Grafana selects the first value when the dashboard loads.
    const complete = isObject(current) && 'text' in current && 'value' in current;
    if (current !== undefined && !complete)
      conversions.push(`variable $${String(variable.name)}: its incomplete current value left to Grafana`);
    return { ...fields, ...(complete ? { current } : {}), ...(reference ? { datasource: reference } : {}) };
  });
  if (named.found && !variables.some((variable) => variable.type === 'datasource' && variable.name === datasourceVariable)) {
    if (inputs.length === 0) conversions.push(`datasources named by their name made the $${datasourceVariable} variable`);
    variables.unshift({
      type: 'datasource',
      name: datasourceVariable,
      label: 'Data source',
      query: 'prometheus',
      hide: 0,
      refresh: 1,
      regex: '',
      options: [],
    });
  }
  const listed =
    isObject(rest.annotations) && Array.isArray(rest.annotations.list) ? (rest.annotations.list as Json[]) : undefined;
  const annotations = (listed ?? []).map((annotation) => {
    const reference = datasourceOf(annotation.datasource, named);
    return { ...annotation, ...(reference ? { datasource: reference } : {}) };
  });
  return {
    json: {
      ...rest,
      ...(listed ? { annotations: { list: annotations } } : {}),
      templating: { list: variables },
      panels: normalized,
    } as unknown as grafana.Dashboard,
    conversions,
  };
}
