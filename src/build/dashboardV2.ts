/**
 * Grafana 12/13's dashboard resources: a checked classic (v1) dashboard written as a
 * `dashboard.grafana.app/v2` object (`apiVersion`, `kind`, `metadata.name` = uid, `spec`) with the
 * Foundation SDK's `dashboardv2` builders, the only v2 form Grafana's file provisioning takes;
 * and the reverse reading of one, panel by panel, for the checks and `diff`.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type * as v2 from '@grafana/grafana-foundation-sdk/dashboardv2';
import { createRequire } from 'node:module';
import { gridColumns } from '../../panels/limits.js';

const require = createRequire(import.meta.url);
interface Sdk {
  readonly v1: typeof import('@grafana/grafana-foundation-sdk/dashboard');
  readonly v2: typeof import('@grafana/grafana-foundation-sdk/dashboardv2');
  readonly prometheus: typeof import('@grafana/grafana-foundation-sdk/prometheus');
  readonly loki: typeof import('@grafana/grafana-foundation-sdk/loki');
  readonly tempo: typeof import('@grafana/grafana-foundation-sdk/tempo');
}
let loaded: Sdk | undefined;
/** The SDK's modules, loaded at the first conversion: a v1 build never pays for them. */
function sdk(): Sdk {
  loaded ??= {
    v1: require('@grafana/grafana-foundation-sdk/dashboard') as Sdk['v1'],
    v2: require('@grafana/grafana-foundation-sdk/dashboardv2') as Sdk['v2'],
    prometheus: require('@grafana/grafana-foundation-sdk/prometheus') as Sdk['prometheus'],
    loki: require('@grafana/grafana-foundation-sdk/loki') as Sdk['loki'],
    tempo: require('@grafana/grafana-foundation-sdk/tempo') as Sdk['tempo'],
  };
  return loaded;
}

/** The apiVersion of the resources written: Grafana 13's. */
export const dashboardV2ApiVersion = 'dashboard.grafana.app/v2';

/** A v2 dashboard in Kubernetes object form. */
export interface DashboardResource {
  readonly apiVersion: string;
  readonly kind: 'Dashboard';
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: v2.Dashboard;
}

/** Whether `value` is a v2 dashboard resource rather than a classic dashboard. */
export function isDashboardResource(value: unknown): value is DashboardResource {
  const object = value as Partial<DashboardResource> | null;
  return object?.kind === 'Dashboard' && typeof object.apiVersion === 'string' && typeof object.spec === 'object';
}

type V1Panel = grafana.Panel & {
  readonly panels?: readonly V1Panel[];
  readonly collapsed?: boolean;
  readonly targets?: readonly Record<string, unknown>[];
  readonly transformations?: readonly { readonly id: string; readonly options?: unknown; readonly disabled?: boolean }[];
  readonly interval?: string;
  readonly maxDataPoints?: number;
  readonly pluginVersion?: string;
};

const cursorSync = ['Off', 'Crosshair', 'Tooltip'] as const;
const variableRefresh: Record<number, string> = { 0: 'never', 1: 'onDashboardLoad', 2: 'onTimeRangeChanged' };
const variableSort: Record<number, string> = {
  0: 'disabled',
  1: 'alphabeticalAsc',
  2: 'alphabeticalDesc',
  3: 'numericalAsc',
  4: 'numericalDesc',
  5: 'alphabeticalCaseInsensitiveAsc',
  6: 'alphabeticalCaseInsensitiveDesc',
  7: 'naturalAsc',
  8: 'naturalDesc',
};
const variableHide: Record<number, string> = { 0: 'dontHide', 1: 'hideLabel', 2: 'hideVariable' };

/** A v1 datasource reference as v2 names it: by uid (or the variable that holds it). */
function datasourceName(reference: unknown): { name?: string } | undefined {
  const uid = (reference as { uid?: unknown } | undefined)?.uid;
  return typeof uid === 'string' ? { name: uid } : undefined;
}

/** The SDK's v2 query builder for a target's datasource type: its `group` names the plugin. */
function queryBuilder(datasource: unknown): cog.Builder<v2.DataQueryKind> & { datasource(ref: { name: string }): unknown } {
  const type = (datasource as { type?: unknown } | undefined)?.type;
  const { loki, tempo, prometheus } = sdk();
  if (type === 'loki') return new loki.QueryV2Builder().version('v0');
  if (type === 'tempo') return new tempo.QueryV2Builder().version('v0');
  return new prometheus.QueryV2Builder().version('v0');
}

/** A target as a v2 panel query: its fields but refId, datasource and hide go into the query's spec. */
function panelQuery(target: Record<string, unknown>, panelDatasource: unknown): v2.TargetBuilder {
  const { refId, datasource, hide, ...fields } = target;
  const query = queryBuilder(datasource ?? panelDatasource);
  const reference = datasourceName(datasource ?? panelDatasource);
  if (reference?.name) query.datasource(reference as { name: string });
  // The builder sets each field as Grafana's Prometheus query has it; the rest are copied as they are.
  const built = query.build();
  built.spec = { ...(built.spec as object), ...fields };
  return new (sdk().v2.TargetBuilder)()
    .refId(String(refId ?? 'A'))
    .hidden(hide === true)
    .query({ build: () => built } satisfies cog.Builder<v2.DataQueryKind>);
}

/** One classic panel as a v2 element. */
function element(panel: V1Panel): v2.PanelBuilder {
  const data = new (sdk().v2.QueryGroupBuilder)();
  for (const target of panel.targets ?? []) data.target(panelQuery(target, panel.datasource));
  for (const transformation of panel.transformations ?? []) {
    data.transformation(
      new (sdk().v2.TransformationBuilder)()
        .group(transformation.id)
        .options(transformation.options ?? {})
        .disabled(transformation.disabled === true),
    );
  }
  const queryOptions = new (sdk().v2.QueryOptionsSpecBuilder)();
  if (panel.interval) queryOptions.interval(panel.interval);
  if (panel.maxDataPoints !== undefined) queryOptions.maxDataPoints(panel.maxDataPoints);
  data.queryOptions(queryOptions);
  const fieldConfig = (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as v2.FieldConfigSource;
  const visualization = new (sdk().v2.VizConfigKindBuilder)()
    .group(panel.type)
    .version(panel.pluginVersion ?? '')
    .options(panel.options ?? {})
    .fieldConfig({ defaults: fieldConfig.defaults ?? {}, overrides: fieldConfig.overrides ?? [] });
  const built = new (sdk().v2.PanelBuilder)()
    .id(panel.id ?? 0)
    .title(panel.title ?? '')
    .links((panel.links ?? []).map((link) => ({ build: () => link as v2.DataLink })))
    .data(data)
    .visualization(visualization);
  if (panel.description) built.description(panel.description);
  if (panel.transparent) built.transparent(true);
  return built;
}

const elementName = (panel: V1Panel) => `panel-${panel.id}`;

/** The grid items of `panels`, their `y` counted from `top`. */
function grid(panels: readonly V1Panel[], top: number): v2.GridBuilder {
  const layout = new (sdk().v2.GridBuilder)();
  for (const panel of panels) {
    const { x = 0, y = 0, w = gridColumns, h = 8 } = panel.gridPos ?? {};
    layout.item(
      new (sdk().v2.GridItemBuilder)()
        .name(elementName(panel))
        .x(x)
        .y(y - top)
        .width(w)
        .height(h),
    );
  }
  return layout;
}

/**
 * The layout: one grid, or rows of grids where the dashboard has rows (panels above the first
 * row go into a row without a header, as Grafana's own conversion does).
 */
function layout(panels: readonly V1Panel[]): cog.Builder<v2.GridLayoutKind> | cog.Builder<v2.RowsLayoutKind> {
  if (!panels.some((panel) => panel.type === 'row')) return grid(panels, 0);
  const rows = new (sdk().v2.RowsBuilder)();
  let header: V1Panel | undefined;
  let members: V1Panel[] = [];
  const close = () => {
    if (!header && members.length === 0) return;
    const top = header ? (header.gridPos?.y ?? 0) + 1 : 0;
    const row = new (sdk().v2.RowBuilder)()
      .title(header?.title ?? '')
      .collapse(header?.collapsed === true)
      .layout(grid(members, top));
    if (!header) row.hideHeader(true);
    rows.row(row);
  };
  for (const panel of panels) {
    if (panel.type !== 'row') {
      members.push(panel);
      continue;
    }
    close();
    header = panel;
    // A collapsed row keeps its panels inside it.
    members = [...(panel.panels ?? [])];
  }
  close();
  return rows;
}

/** Every panel of a classic dashboard, those inside collapsed rows included, rows left out. */
function contentPanels(panels: readonly V1Panel[]): V1Panel[] {
  return panels.flatMap((panel) => (panel.type === 'row' ? [...(panel.panels ?? [])] : [panel]));
}

type V1Variable = grafana.VariableModel & Record<string, unknown>;

/** The variable's query as a v2 data query: a string query is kept whole, as Grafana's own conversion keeps it. */
function variableQuery(variable: V1Variable): cog.Builder<v2.DataQueryKind> {
  const query = variable.query;
  const datasource = variable.datasource as { type?: string; uid?: string } | undefined;
  const kind: v2.DataQueryKind = {
    kind: 'DataQuery',
    group: datasource?.type ?? 'prometheus',
    version: 'v0',
    ...(datasource?.uid ? { datasource: { name: datasource.uid } } : {}),
    spec: typeof query === 'string' ? { __legacyStringValue: query } : (query ?? {}),
  };
  return { build: () => kind };
}

function variable(model: V1Variable): cog.Builder<v2.VariableKind> {
  const current = (model.current ?? { text: '', value: '' }) as v2.VariableOption;
  const hide = variableHide[Number(model.hide ?? 0)] as v2.VariableHide;
  if (model.type === 'datasource') {
    const built = new (sdk().v2.DatasourceVariableBuilder)(model.name)
      .pluginId(String(model.query ?? 'prometheus'))
      .refresh((variableRefresh[Number(model.refresh ?? 1)] ?? 'onDashboardLoad') as v2.VariableRefresh)
      .regex(String(model.regex ?? ''))
      .current(current)
      .options([])
      .multi(model.multi === true)
      .includeAll(model.includeAll === true)
      .hide(hide)
      .skipUrlSync(model.skipUrlSync === true)
      .allowCustomValue(model.allowCustomValue !== false);
    if (model.label) built.label(String(model.label));
    return built;
  }
  if (model.type !== 'query')
    throw new Error(`variable ${JSON.stringify(model.name)}: a ${model.type} variable has no v2 form here`);
  const built = new (sdk().v2.QueryVariableBuilder)(model.name)
    .current(current)
    .hide(hide)
    .refresh((variableRefresh[Number(model.refresh ?? 1)] ?? 'onDashboardLoad') as v2.VariableRefresh)
    .skipUrlSync(model.skipUrlSync === true)
    .query(variableQuery(model))
    .regex(String(model.regex ?? ''))
    .sort((variableSort[Number(model.sort ?? 0)] ?? 'disabled') as v2.VariableSort)
    .options([])
    .multi(model.multi === true)
    .includeAll(model.includeAll === true)
    .allowCustomValue(model.allowCustomValue !== false);
  if (model.label) built.label(String(model.label));
  if (model.definition) built.definition(String(model.definition));
  if (typeof model.allValue === 'string') built.allValue(model.allValue);
  return built;
}

/**
 * A checked classic dashboard as a v2 resource: panels, queries, rows (collapsed ones too), the
 * grid, variables, links, time settings and descriptions carried over.
 */
export function toDashboardV2(json: grafana.Dashboard): DashboardResource {
  const panels = (json.panels ?? []) as V1Panel[];
  const dashboard = new (sdk().v2.DashboardBuilder)(json.title ?? '')
    .cursorSync(cursorSync[Number(json.graphTooltip ?? 0)] as v2.DashboardCursorSync)
    .editable(json.editable !== false)
    .preload(false)
    .tags([...(json.tags ?? [])])
    .links((json.links ?? []).map((link) => ({ build: () => ({ ...link }) as v2.DashboardLink })))
    .timeSettings(
      new (sdk().v2.TimeSettingsBuilder)()
        .timezone(json.timezone ?? 'browser')
        .from(json.time?.from ?? 'now-6h')
        .to(json.time?.to ?? 'now')
        .autoRefresh(typeof json.refresh === 'string' ? json.refresh : '')
        .autoRefreshIntervals([...(json.timepicker?.refresh_intervals ?? [])])
        .hideTimepicker(json.timepicker?.hidden === true)
        .fiscalYearStartMonth(json.fiscalYearStartMonth ?? 0),
    )
    .variables(((json.templating?.list ?? []) as V1Variable[]).map(variable))
    .layout(layout(panels));
  if (json.description) dashboard.description(json.description);
  for (const panel of contentPanels(panels)) dashboard.element(elementName(panel), element(panel));
  return { apiVersion: dashboardV2ApiVersion, kind: 'Dashboard', metadata: { name: json.uid ?? '' }, spec: dashboard.build() };
}

type V2Element = v2.PanelKind | v2.LibraryPanelKind;

/** A v2 panel as the classic panel it was made from: what the checks, the preview and `diff` read. */
function classicPanel(element: V2Element | undefined, name: string, gridPos: grafana.GridPos): V1Panel {
  if (element?.kind !== 'Panel')
    throw new Error(`element ${JSON.stringify(name)}: ${element ? 'a library panel' : 'missing'}, not a panel`);
  const { spec } = element;
  const group = spec.data.spec;
  const targets = group.queries.map(({ spec: query }) => {
    const { datasource, group: type } = query.query;
    return {
      ...(query.query.spec as Record<string, unknown>),
      refId: query.refId,
      ...(datasource?.name ? { datasource: { type, uid: datasource.name } } : {}),
      ...(query.hidden ? { hide: true } : {}),
    };
  });
  // The SDK's defaults stand for what v2 does not carry (repeatDirection without a repeat, transparent: false).
  const panel: Record<string, unknown> = {
    ...sdk().v1.defaultPanel(),
    type: spec.vizConfig.group,
    id: spec.id,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.transparent ? { transparent: true } : {}),
    ...(targets[0]?.datasource ? { datasource: targets[0].datasource } : {}),
    ...(spec.links.length > 0 ? { links: spec.links } : {}),
    options: spec.vizConfig.spec.options,
    fieldConfig: spec.vizConfig.spec.fieldConfig,
    gridPos,
    targets,
    ...(group.transformations.length > 0
      ? {
          transformations: group.transformations.map(({ group: id, spec: transformation }) => ({
            id,
            options: transformation.options ?? {},
            ...(transformation.disabled ? { disabled: true } : {}),
          })),
        }
      : {}),
    ...(group.queryOptions.interval ? { interval: group.queryOptions.interval } : {}),
    ...(group.queryOptions.maxDataPoints !== undefined ? { maxDataPoints: group.queryOptions.maxDataPoints } : {}),
  };
  return panel as unknown as V1Panel;
}

/** The panels of one grid, their `y` counted from `top`, and the grid's height. */
function gridPanels(
  spec: v2.Dashboard,
  items: readonly v2.GridLayoutItemKind[],
  top: number,
): { panels: V1Panel[]; height: number } {
  const panels = items.map(({ spec: item }) =>
    classicPanel(spec.elements[item.element.name], item.element.name, {
      x: item.x,
      y: item.y + top,
      w: item.width,
      h: item.height,
    }),
  );
  return { panels, height: Math.max(0, ...items.map(({ spec: item }) => item.y + item.height)) };
}

function v1Variable(variable: v2.VariableKind): Record<string, unknown> {
  const spec = variable.spec as unknown as Record<string, unknown> & { name: string };
  const numbered = (table: Record<number, string>, value: unknown) =>
    Number(Object.entries(table).find(([, name]) => name === value)?.[0] ?? 0);
  const hide = numbered(variableHide, spec.hide);
  const common = {
    ...sdk().v1.defaultVariableModel(),
    name: spec.name,
    ...(spec.label ? { label: spec.label } : {}),
    current: spec.current,
    ...(hide ? { hide } : {}),
    skipUrlSync: spec.skipUrlSync,
    multi: spec.multi,
    includeAll: spec.includeAll,
    allowCustomValue: spec.allowCustomValue,
    ...(spec.regex ? { regex: spec.regex } : {}),
  };
  if (variable.kind === 'DatasourceVariable') return { ...common, type: 'datasource', query: spec.pluginId };
  if (variable.kind !== 'QueryVariable') return { ...common, type: variable.kind };
  const query = (spec.query as v2.DataQueryKind).spec as Record<string, unknown>;
  const datasource = (spec.query as v2.DataQueryKind).datasource;
  return {
    ...common,
    type: 'query',
    ...(datasource?.name ? { datasource: { type: (spec.query as v2.DataQueryKind).group, uid: datasource.name } } : {}),
    query: '__legacyStringValue' in query ? query.__legacyStringValue : query,
    refresh: numbered(variableRefresh, spec.refresh),
    ...(spec.definition ? { definition: spec.definition } : {}),
    sort: numbered(variableSort, spec.sort),
    ...(typeof spec.allValue === 'string' ? { allValue: spec.allValue } : {}),
  };
}

/**
 * A v2 resource read back as a classic dashboard: panels with their grid positions, rows
 * (collapsed ones holding their panels), targets, variables, links and time settings. For a
 * resource {@link toDashboardV2} wrote, the panels, queries, layout and variables are the ones
 * it was made from; `diff` and the checks read v2 output through it.
 */
export function fromDashboardV2(resource: DashboardResource): grafana.Dashboard {
  const { spec } = resource;
  const panels: V1Panel[] = [];
  if (spec.layout.kind === 'GridLayout') {
    panels.push(...gridPanels(spec, spec.layout.spec.items, 0).panels);
  } else if (spec.layout.kind === 'RowsLayout') {
    let top = 0;
    for (const { spec: row } of spec.layout.spec.rows) {
      if (row.layout.kind !== 'GridLayout')
        throw new Error(`row ${JSON.stringify(row.title ?? '')}: a ${row.layout.kind}, not a grid`);
      const header = row.hideHeader ? 0 : 1;
      const grid = gridPanels(spec, row.layout.spec.items, top + header);
      if (row.hideHeader) {
        panels.push(...grid.panels);
      } else {
        const collapsed = row.collapse === true;
        panels.push({
          type: 'row',
          id: 0,
          title: row.title ?? '',
          collapsed,
          gridPos: { h: 1, w: gridColumns, x: 0, y: top },
          panels: collapsed ? grid.panels : [],
        } as V1Panel);
        if (!collapsed) panels.push(...grid.panels);
      }
      top += header + (row.collapse && !row.hideHeader ? 0 : grid.height);
    }
  } else {
    throw new Error(`layout ${spec.layout.kind}: only grids and rows of grids are read`);
  }
  // v2 rows carry no id: each gets the first free one after the panel before it, as inferboard numbers them.
  const used = new Set(panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).map((panel) => panel.id));
  let last = 0;
  for (const panel of panels) {
    if (panel.type === 'row') {
      let id = last + 1;
      while (used.has(id)) id += 1;
      used.add(id);
      (panel as { id: number }).id = id;
    }
    last = Math.max(last, panel.id ?? 0, ...(panel.panels ?? []).map((inner) => inner.id ?? 0));
  }
  const time = spec.timeSettings;
  return {
    ...sdk().v1.defaultDashboard(),
    uid: resource.metadata.name,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    editable: spec.editable,
    graphTooltip: Math.max(0, cursorSync.indexOf(spec.cursorSync as (typeof cursorSync)[number])),
    timezone: time.timezone,
    time: { from: time.from, to: time.to },
    ...(time.autoRefresh ? { refresh: time.autoRefresh } : {}),
    timepicker: { refresh_intervals: time.autoRefreshIntervals, hidden: time.hideTimepicker },
    fiscalYearStartMonth: time.fiscalYearStartMonth,
    links: spec.links,
    templating: { list: spec.variables.map(v1Variable) },
    panels,
  } as unknown as grafana.Dashboard;
}
