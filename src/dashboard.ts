/**
 * Dashboard assembly: rows of panels laid out on the grid, template variables from the
 * profile, seed 000's time and refresh defaults, tags, links and a provisioning folder.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { tritonMetrics, type MetricsProfile } from '../queries/index.js';
import { layout, type Section } from './layout.js';
import type { LintConfig } from './lint.js';
import { defaultDatasource, variablesFor, type DatasourceDefault } from './variables.js';
import { sdk } from '../panels/sdk.js';

/** Anything that builds a panel: every builder of `inferboard/panels` and of the SDK. */
export type PanelLike = cog.Builder<grafana.Panel>;

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
  /** Panels above the first row. */
  readonly panels?: readonly PanelLike[];
  readonly rows?: readonly RowDefinition[];
  /** Default `{ from: 'now-15m', to: 'now' }` (seed 000). */
  readonly time?: { readonly from: string; readonly to: string };
  /** Auto-refresh. Default `5s` (seed 000); `''` turns it off. */
  readonly refresh?: string;
  /** Dashboard links. Default: a drop-down of the other dashboards tagged `inferboard`. */
  readonly links?: readonly cog.Builder<grafana.DashboardLink>[];
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
  /** The JSON of `build()` without copying the panel builders' objects, for a caller that only serializes it. */
  readonly [sharedBuild]: () => grafana.Dashboard;
}

/** A registered symbol: the CLI and a dashboard module may load two copies of this file. */
export const sharedBuild: unique symbol = Symbol.for('inferboard.sharedBuild') as never;

/**
 * A deep copy holding only what JSON keeps (no functions, no undefined): what a JSON round trip
 * gives for builder output, in a fraction of its time.
 */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => (item === undefined || typeof item === 'function' ? null : plainCopy(item))) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== 'function') copy[key] = plainCopy(item);
  }
  return copy as T;
}

const uidPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** Checks a dashboard uid against Grafana's rules. */
export function checkUid(uid: string): string {
  if (!uidPattern.test(uid)) {
    throw new Error(`uid ${JSON.stringify(uid)} must be 1-40 characters of a-z, A-Z, 0-9, - and _`);
  }
  return uid;
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
 * Defines a dashboard. Nothing is built until `build()`, which returns new JSON each call:
 * panels laid out on the 24-column grid with ids 1..n in reading order.
 */
export function dashboard(options: DashboardOptions): InferboardDashboard {
  checkUid(options.uid);
  if (options.title.trim() === '' || options.title.length > 5000) {
    throw new Error(`dashboard ${options.uid}: title must be 1-5000 characters`);
  }
  const profile = options.profile ?? tritonMetrics;
  /** The dashboard, each panel's build output passed through `own` (a copy, or the builder's own objects). */
  const assemble = (own: (panel: grafana.Panel) => grafana.Panel): grafana.Dashboard => {
    const buildPanels = (panels: readonly PanelLike[]) => panels.map((panel) => own(panel.build()));
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
      .variables(variablesFor(profile, options.datasource ?? defaultDatasource));
    if (options.description) builder.description(options.description);
    const { id: _instanceId, ...json } = builder.build();
    return { ...json, panels: layout(sections) as grafana.Panel[] };
  };
  return {
    uid: options.uid,
    title: options.title,
    folder: options.folder,
    lint: options.lint,
    // Copies, without the SDK's non-JSON helpers: one panel builder can serve several dashboards.
    build: () => assemble(plainCopy),
    [sharedBuild]: () => assemble((panel) => panel),
  };
}
