/**
 * Dashboard assembly: rows of panels laid out on the grid, template variables from the
 * profile, the Triton guide's time and refresh defaults, tags, links and a provisioning folder.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { sdk } from '../../queries/commonjs.js';
import { isTitleAccepted, maximumTitleLength, checkUid } from '../../panels/limits.js';
import { lintExemptionsOf } from '../../panels/common.js';
import {
  defaultDatasource,
  logsDatasourceVariables,
  tritonMetrics,
  variablesFor,
  type DatasourceDefault,
  type MetricsProfile,
} from '../../queries/index.js';
import { layout, type Section } from './layout.js';
import { logsKindsOf } from './walk.js';
import type { LintConfig, LintRuleId } from './lintConfig.js';
import { checkOptions } from '../../queries/options.js';

/**
 * Anything that builds a panel: every builder of `inferboard/panels` and of the SDK (a
 * `cog.Builder<Panel>`, written out so the run-time option schemas can name it).
 */
export interface PanelLike {
  build(): grafana.Panel;
}

/** A dashboard link builder ({@link dashboardsLink}, or the Foundation SDK's). */
export interface DashboardLinkLike {
  build(): grafana.DashboardLink;
}

/** A titled row of panels. */
export interface RowDefinition {
  readonly title: string;
  /** Start collapsed (its queries run only when opened). Default `false`. */
  readonly collapsed?: boolean;
  readonly panels: readonly PanelLike[];
}

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  /** Stable id: 1-40 of `a-z A-Z 0-9 - _`; the file name and the URL. */
  readonly uid: string;
  readonly title: string;
  readonly description?: string;
  /** Default `['inferboard']`, which the default link lists. */
  readonly tags?: readonly string[];
  /** Grafana folder the dashboard is provisioned into. Default: none (General). */
  readonly folder?: string;
  /** Profile whose labels decide the template variables. Default Triton. */
  readonly profile?: MetricsProfile;
  /**
   * The servers whose series the dashboard reads: `build-dashboards --kubernetes` writes a
   * ServiceMonitor for each. Default: the profile.
   */
  readonly servers?: readonly MetricsProfile[];
  /** Panels above the first row. */
  readonly panels?: readonly PanelLike[];
  readonly rows?: readonly RowDefinition[];
  /** Default `{ from: 'now-15m', to: 'now' }` (the Triton guide). */
  readonly time?: { readonly from: string; readonly to: string };
  /** Auto-refresh. Default `5s` (the Triton guide); `''` turns it off. */
  readonly refresh?: string;
  /** Dashboard links. Default: a drop-down of the other dashboards tagged `inferboard`. */
  readonly links?: readonly DashboardLinkLike[];
  /** The datasource preselected in `$datasource`. Default the provisioned `inferboard-prometheus`. */
  readonly datasource?: DatasourceDefault;
  /** Lint rules to turn off, for the dashboard or for panels by title. Default: all rules on. */
  readonly lint?: LintConfig;
}

/** A dashboard definition: builds Grafana JSON and knows its provisioning folder. */
export interface InferboardDashboard extends cog.Builder<grafana.Dashboard> {
  readonly uid: string;
  readonly title: string;
  readonly folder: string | undefined;
  readonly lint: LintConfig | undefined;
  /** The servers whose series it reads. */
  readonly servers: readonly MetricsProfile[];
}

/** A link menu listing every dashboard that carries `tag`. */
export function dashboardsLink(tag = 'inferboard'): grafana.DashboardLinkBuilder {
  return new sdk.dashboard.DashboardLinkBuilder('Inference dashboards')
    .type(sdk.dashboard.DashboardLinkType.Dashboards)
    .tags([tag])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false)
    .icon('external link')
    .tooltip('')
    .url('');
}

/**
 * Defines a dashboard. Nothing is built until `build()`, which assembles new JSON each call
 * around the panel builders' objects (copy it before changing what a builder made):
 * panels laid out on Grafana's grid with ids 1..n in reading order.
 */
export function dashboard(options: DashboardOptions): InferboardDashboard {
  checkOptions('dashboard', options);
  checkUid(options.uid);
  if (!isTitleAccepted(options.title)) {
    throw new Error(`dashboard ${options.uid}: title must be 1-${maximumTitleLength} characters`);
  }
  const profile = options.profile ?? tritonMetrics;
  // As the SDK's builders do, build() returns the panel builders' own objects; layout gives each
  // dashboard its own copy of every panel's top level (id, gridPos), so one builder serves several.
  const assemble = (): grafana.Dashboard => {
    const buildPanels = (panels: readonly PanelLike[]) => panels.map((panel) => panel.build());
    const sections: Section[] = [];
    if (options.panels && options.panels.length > 0) sections.push({ panels: buildPanels(options.panels) });
    for (const row of options.rows ?? []) {
      sections.push({ row: { title: row.title, collapsed: row.collapsed ?? false }, panels: buildPanels(row.panels) });
    }
    const builder = new sdk.dashboard.DashboardBuilder(options.title)
      .uid(options.uid)
      .tags([...(options.tags ?? ['inferboard'])])
      .time(options.time ?? { from: 'now-15m', to: 'now' })
      .refresh(options.refresh ?? '5s')
      .timezone('browser')
      .tooltip(sdk.dashboard.DashboardCursorSync.Crosshair)
      .timepicker(new sdk.dashboard.TimePickerBuilder().refreshIntervals(['5s', '10s', '30s', '1m', '5m', '15m']))
      .links([...(options.links ?? [dashboardsLink()])])
      .variables([
        ...variablesFor(profile, options.datasource ?? defaultDatasource),
        ...logsDatasourceVariables(logsKindsOf(sections.flatMap((section) => section.panels))),
      ]);
    if (options.description) builder.description(options.description);
    const { id: _instanceId, ...json } = builder.build();
    return { ...json, panels: layout(sections) as grafana.Panel[] };
  };
  return {
    uid: options.uid,
    title: options.title,
    folder: options.folder,
    lint: withPanelExemptions(options),
    servers: options.servers ?? [profile],
    build: assemble,
  };
}

/** The dashboard's lint config, with the rules each panel builder's own options turn off for its panel. */
function withPanelExemptions(options: DashboardOptions): LintConfig | undefined {
  const builders = [...(options.panels ?? []), ...(options.rows ?? []).flatMap((row) => row.panels)];
  const panels: Record<string, LintRuleId[]> = Object.fromEntries(
    Object.entries(options.lint?.panels ?? {}).map(([title, rules]) => [title, [...rules]]),
  );
  let exempted = false;
  for (const builder of builders) {
    const rules = lintExemptionsOf(builder) as readonly LintRuleId[];
    if (rules.length === 0) continue;
    const title = builder.build().title ?? '';
    panels[title] = [...new Set([...(panels[title] ?? []), ...rules])];
    exempted = true;
  }
  return exempted ? { ...options.lint, panels } : options.lint;
}
