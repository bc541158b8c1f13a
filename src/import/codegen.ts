/**
 * A dashboard as a TypeScript module: Foundation SDK builders for the dashboard, its variables,
 * rows and the panels written by hand, and inferboard's builder calls for the panels one of them
 * builds; lint findings as comments beside their panels, and the module's `lint` export turning
 * off what still fires, so that the module builds as it is.
 */
import { isDeepStrictEqual } from 'node:util';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { builtInProfiles, type MetricsProfile } from '../../queries/index.js';
import * as profiles from '../../queries/index.js';
import type { BuilderCall } from './recognize.js';
import { queryLanguage } from '../dashboards/walk.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the import decided for one panel. */
export interface PanelPlan {
  /** The builder call that builds it (exactly, or as `--fix` replaces it). */
  readonly call?: BuilderCall;
  /** The builder that draws what it means to show, where the panel stays as written. */
  readonly suggestion?: BuilderCall;
  /** `[counter-rate] counter nv_... is read raw; wrap it in rate()`, one per finding. */
  readonly findings: readonly string[];
  /** Lint rule ids the findings are of. */
  readonly rules: readonly string[];
  /** What the import left out or changed of this panel. */
  readonly notes: readonly string[];
}

/** The export name of each built-in profile: `tritonMetrics`. */
const profileNames = new Map<MetricsProfile, string>(
  Object.entries(profiles)
    .filter(([, value]) => builtInProfiles.includes(value as MetricsProfile))
    .map(([name, value]) => [value as MetricsProfile, name]),
);

/** Source text of a value: JSON-like, a built-in profile by its name (which `imports` records). */
function literal(value: unknown, imports: Set<string>): string {
  if (value === undefined) return 'undefined';
  const profile = profileNames.get(value as MetricsProfile);
  if (profile) {
    imports.add(profile);
    return profile;
  }
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, imports)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).map(
      ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${literal(item, imports)}`,
    );
    return `{ ${fields.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** `// ...` lines of `text`, one comment line per line, `*\/` defused. */
const comment = (text: string, indent = '') => text.split('\n').map((line) => `${indent}// ${line.replace(/\*\//g, '* /')}`);

/** Target fields the Foundation SDK's Prometheus query builder sets; the others (a query editor's state) are not carried over. */
const targetMethods: Record<string, (value: unknown, imports: Set<string>) => string | undefined> = {
  refId: (value) => `.refId(${JSON.stringify(value)})`,
  expr: (value) => `.expr(${JSON.stringify(value)})`,
  legendFormat: (value) => `.legendFormat(${JSON.stringify(value)})`,
  instant: (value) => (value === true ? '.instant()' : undefined),
  range: (value) => (value === true ? '.range()' : undefined),
  format: (value) => `.format(${JSON.stringify(value)} as prometheus.PromQueryFormat)`,
  interval: (value) => `.interval(${JSON.stringify(value)})`,
  intervalFactor: (value) => `.intervalFactor(${JSON.stringify(value)})`,
  hide: (value) => `.hide(${JSON.stringify(value)})`,
  exemplar: (value) => `.exemplar(${JSON.stringify(value)})`,
  datasource: (value, imports) => `.datasource(${literal(value, imports)})`,
  editorMode: (value) => `.editorMode(${JSON.stringify(value)} as prometheus.QueryEditorMode)`,
};

function targetCode(panel: Json, target: Json, imports: Set<string>, dropped: Set<string>): string {
  // Another datasource's query (Loki, Tempo) is carried as it is: every field is its plugin's.
  if (queryLanguage(panel, target) !== 'promql')
    return `{ build: () => (${literal(target, imports)} as unknown as cog.Dataquery) }`;
  let code = 'new prometheus.DataqueryBuilder()';
  for (const [key, value] of Object.entries(target)) {
    const method = targetMethods[key];
    if (!method) {
      dropped.add(`targets.${key}`);
      continue;
    }
    code += method(value, imports) ?? '';
  }
  return code;
}

/** Panel fields the generic panel builder sets as they are. */
const panelMethods = new Set([
  'id',
  'pluginVersion',
  'title',
  'description',
  'transparent',
  'datasource',
  'gridPos',
  'repeat',
  'repeatDirection',
  'maxPerRow',
  'maxDataPoints',
  'interval',
  'timeFrom',
  'timeShift',
  'hideTimeOverride',
  'cacheTimeout',
  'queryCachingTTL',
  'options',
  'transformations',
]);

/** A panel written by hand, as the Foundation SDK's generic panel builder with every field Grafana's schema knows. */
function sdkPanelCode(panel: Json, imports: Set<string>, dropped: Set<string>): string {
  let code = `new dashboard.PanelBuilder().type(${JSON.stringify(panel.type)})`;
  for (const [key, value] of Object.entries(panel)) {
    // A null field is Grafana's default (timeFrom: null): left out.
    if (key === 'type' || key === 'targets' || key === 'panels' || value === null) continue;
    if (panelMethods.has(key)) code += `.${key}(${literal(value, imports)})`;
    else if (key === 'fieldConfig') code += `.fieldConfig(${literal(value, imports)} as dashboard.FieldConfigSource)`;
    else if (key === 'links')
      code += `.links([${(value as Json[]).map((link) => `{ build: () => (${literal(link, imports)} as dashboard.DashboardLink) }`).join(', ')}])`;
    else dropped.add(key);
  }
  for (const target of (panel.targets ?? []) as Json[]) code += `.withTarget(${targetCode(panel, target, imports, dropped)})`;
  return code;
}

/** The code of one panel, with its comments: findings, what inferboard draws instead, what was not carried over. */
function panelCode(panel: Json, plan: PanelPlan | undefined, imports: Set<string>): string {
  const lines: string[] = [];
  for (const finding of plan?.findings ?? []) lines.push(...comment(`lint ${finding}`));
  for (const note of plan?.notes ?? []) lines.push(...comment(note));
  const grid = panel.gridPos as grafana.GridPos;
  if (plan?.call) {
    imports.add(plan.call.builder);
    lines.push(
      `${plan.call.builder}(${literal(plan.call.options, imports)}).id(${Number(panel.id)}).gridPos(${literal(grid, imports)})`,
    );
    return lines.join('\n');
  }
  if (plan?.suggestion) {
    lines.push(
      ...comment(
        `inferboard draws this with ${plan.suggestion.builder}(${literal(plan.suggestion.options, new Set())}); build-dashboards import --fix writes that instead`,
      ),
    );
  }
  const dropped = new Set<string>();
  const code = sdkPanelCode(panel, imports, dropped);
  if (dropped.size > 0) lines.push(...comment(`not carried over: ${[...dropped].sort().join(', ')}`));
  lines.push(code);
  return lines.join('\n');
}

/** Variable builders of the Foundation SDK by variable type; a field without a method of the builder is not carried over. */
const variableBuilders: Record<string, string> = {
  query: 'QueryVariableBuilder',
  datasource: 'DatasourceVariableBuilder',
  custom: 'CustomVariableBuilder',
  constant: 'ConstantVariableBuilder',
  interval: 'IntervalVariableBuilder',
  textbox: 'TextBoxVariableBuilder',
  adhoc: 'AdHocVariableBuilder',
};

/** A template variable as an SDK builder; `sdk` is the SDK's dashboard module, to see which fields a builder sets. */
function variableCode(variable: Json, imports: Set<string>, sdk: Record<string, unknown>, notes: string[]): string {
  const builderName = variableBuilders[String(variable.type)] ?? 'QueryVariableBuilder';
  const Builder = sdk[builderName] as new (name: string) => Record<string, unknown>;
  const probe = new Builder('probe');
  const defaults = (sdk.defaultVariableModel as () => Json)();
  let code = `new dashboard.${builderName}(${JSON.stringify(variable.name)})`;
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(variable)) {
    if (field === 'name' || field === 'type' || value === undefined || value === null) continue;
    // The datasource variable's plugin id (its `query`) is set by the builder's `type()`.
    const key = builderName === 'DatasourceVariableBuilder' && field === 'query' ? 'type' : field;
    if (typeof probe[key] !== 'function') {
      // A field at its default (an interval variable's auto fields on any other) is no loss.
      if (!isDeepStrictEqual(value, (defaults as Json)[field])) dropped.push(field);
      continue;
    }
    code += `.${key}(${literal(value, imports)})`;
  }
  if (dropped.length > 0) notes.push(`variable $${String(variable.name)}: not carried over: ${dropped.sort().join(', ')}`);
  return code;
}

/**
 * An annotation as a builder of its object: the SDK's annotation builder adds a `placement`
 * (in the controls menu) the dashboard did not have, which would move its toggle.
 */
function annotationCode(annotation: Json, imports: Set<string>): string {
  return `{ build: () => (${literal(annotation, imports)} as unknown as dashboard.AnnotationQuery) }`;
}

/** Dashboard fields and the builder method that sets each. */
function dashboardFieldsCode(json: Json, imports: Set<string>): string {
  let code = '';
  const set = (method: string, value: unknown) => {
    if (value !== undefined) code += `.${method}(${literal(value, imports)})`;
  };
  set('uid', json.uid);
  set('description', json.description);
  set('tags', json.tags);
  set('timezone', json.timezone);
  if (json.editable === false) code += '.readonly()';
  if (typeof json.graphTooltip === 'number') code += `.tooltip(${json.graphTooltip} as dashboard.DashboardCursorSync)`;
  set('time', json.time);
  set('refresh', typeof json.refresh === 'string' ? json.refresh : undefined);
  set('fiscalYearStartMonth', json.fiscalYearStartMonth);
  set('liveNow', json.liveNow);
  set('weekStart', typeof json.weekStart === 'string' && json.weekStart !== '' ? json.weekStart : undefined);
  if (Array.isArray(json.links) && json.links.length > 0)
    code += `.links([${(json.links as Json[]).map((link) => `{ build: () => (${literal(link, imports)} as dashboard.DashboardLink) }`).join(', ')}])`;
  if (isObject(json.timepicker) && Object.keys(json.timepicker).length > 0)
    code += `.timepicker({ build: () => (${literal(json.timepicker, imports)} as dashboard.TimePickerConfig) })`;
  for (const annotation of (json.annotations as { list?: Json[] } | undefined)?.list ?? [])
    code += `.annotation(${annotationCode(annotation, imports)})`;
  return code;
}

/** Options of {@link dashboardModule}. */
export interface ModuleSource {
  /** The file the dashboard came from, for the header comment. */
  readonly file: string;
  /** The conversions reading it took. */
  readonly conversions: readonly string[];
  /** Dashboard-wide lint findings and their rules. */
  readonly findings: readonly string[];
  readonly rules: readonly string[];
  /** Whether `--fix` replaced panels. */
  readonly fixed: boolean;
  /** The Grafana folder, exported as `folder`. */
  readonly folder?: string;
}

/**
 * The module of a normalized dashboard: `plans` by panel id. `sdk` is the Foundation SDK's
 * dashboard module (its variable builders are probed for the fields they set).
 */
export function dashboardModule(
  json: grafana.Dashboard,
  plans: ReadonlyMap<number, PanelPlan>,
  source: ModuleSource,
  sdk: Record<string, unknown>,
): string {
  const imports = new Set<string>();
  const notes: string[] = [];
  const variables = ((json.templating?.list ?? []) as unknown as Json[]).map((variable) =>
    variableCode(variable, imports, sdk, notes),
  );
  let body = `new dashboard.DashboardBuilder(${JSON.stringify(json.title)})${dashboardFieldsCode(json as unknown as Json, imports)}`;
  for (const variable of variables) body += `\n.withVariable(${variable})`;
  for (const panel of (json.panels ?? []) as unknown as Json[]) {
    if (panel.type === 'row') {
      const inside = ((panel.panels ?? []) as Json[]).map(
        (inner) => `.withPanel(\n${panelCode(inner, plans.get(Number(inner.id)), imports)})`,
      );
      body += `\n.withRow(new dashboard.RowBuilder(${JSON.stringify(panel.title ?? '')}).id(${Number(panel.id)}).gridPos(${literal(panel.gridPos, imports)})${panel.collapsed ? '.collapsed(true)' : ''}${inside.join('')})`;
      continue;
    }
    body += `\n.withPanel(\n${panelCode(panel, plans.get(Number(panel.id)), imports)})`;
  }
  const panelRules = new Map<string, Set<string>>();
  for (const panel of [
    ...((json.panels ?? []) as unknown as Json[]),
    ...((json.panels ?? []) as unknown as Json[]).flatMap((row) => (row.panels ?? []) as Json[]),
  ]) {
    const plan = plans.get(Number(panel.id));
    if (!plan?.rules.length) continue;
    const title = String(panel.title ?? '');
    panelRules.set(title, new Set([...(panelRules.get(title) ?? []), ...plan.rules]));
  }
  const inferboardImports = [...imports].sort();
  const usesSdkPanels = /new prometheus\./.test(body);
  const lintConfig =
    source.rules.length > 0 || panelRules.size > 0
      ? [
          '',
          '/** Lint rules this dashboard breaks as it was written: each comment above its panel says why. Fix the panel, then remove its rules. */',
          `export const lint: LintConfig = ${literal(
            {
              ...(source.rules.length > 0 ? { disable: [...new Set(source.rules)].sort() } : {}),
              ...(panelRules.size > 0
                ? { panels: Object.fromEntries([...panelRules].map(([title, rules]) => [title, [...rules].sort()])) }
                : {}),
            },
            new Set(),
          )};`,
        ]
      : [];
  return [
    ...comment(`Imported from ${source.file} by build-dashboards import${source.fixed ? ' --fix' : ''}.`),
    ...source.conversions.map((conversion) => comment(`Converted: ${conversion}.`).join('\n')),
    ...source.findings.map((finding) => comment(`lint ${finding}`).join('\n')),
    ...notes.map((note) => comment(note).join('\n')),
    "import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';",
    ...(/as unknown as cog\./.test(body) ? ["import type * as cog from '@grafana/grafana-foundation-sdk/cog';"] : []),
    ...(usesSdkPanels ? ["import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';"] : []),
    ...(inferboardImports.length > 0 || lintConfig.length > 0
      ? [
          `import { ${[...inferboardImports, ...(lintConfig.length > 0 ? ['type LintConfig'] : [])].join(', ')} } from 'inferboard';`,
        ]
      : []),
    ...(source.folder !== undefined ? ['', `export const folder = ${JSON.stringify(source.folder)};`] : []),
    ...lintConfig,
    '',
    `export default ${body};`,
    '',
  ].join('\n');
}
