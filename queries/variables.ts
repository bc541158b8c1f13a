/**
 * Grafana's template variables, in one place: the names the queries filter by, the chain a
 * dashboard defines them in (datasource, then job -> instance -> model / gpu, each listing only
 * what the previous ones select), the value Grafana sends for "All", Grafana's grammar of a
 * variable reference, and the substitution Grafana makes before a query reaches Prometheus.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { sdk } from './commonjs.js';
import type { ExtraLabel, MetricsProfile } from './profile.js';

/**
 * Names of the dashboard template variables the queries filter by. Dashboards define variables
 * with exactly these names, so queries and variables are held together here.
 */
export const templateVariables = {
  datasource: 'datasource',
  loki: 'loki',
  tempo: 'tempo',
  job: 'job',
  instance: 'instance',
  model: 'model',
  host: 'host',
  gpu: 'gpu',
} as const;

/**
 * What a multi-value variable sends for "All": a regex matching every label value, the empty
 * one included. `(?s:...)`: Prometheus 2's `.` does not match a newline, Prometheus 3's does.
 */
export const allValue = '(?s:.*)';

/** Every panel and target queries the dashboard's `$datasource` variable. */
export const datasource: common.DataSourceRef = { type: 'prometheus', uid: `\${${templateVariables.datasource}}` };

/** Log panels query the dashboard's `$loki` variable, trace panels its `$tempo`. */
export const lokiDatasource: common.DataSourceRef = { type: 'loki', uid: `\${${templateVariables.loki}}` };
export const tempoDatasource: common.DataSourceRef = { type: 'tempo', uid: `\${${templateVariables.tempo}}` };

/** The Loki and Tempo datasources the provisioning tree defines, and the variables' defaults. */
export const logsDatasources = {
  loki: { name: 'Loki', uid: 'inferboard-loki' },
  tempo: { name: 'Tempo', uid: 'inferboard-tempo' },
} as const;

/** The datasource types of logs and traces: Loki's and Tempo's. */
export type LogsKind = keyof typeof logsDatasources;

/**
 * The `$loki` and `$tempo` datasource variables of the kinds `used` (those the dashboard's panels
 * query), beside `$datasource`.
 */
export function logsDatasourceVariables(used: ReadonlySet<LogsKind>): cog.Builder<grafana.VariableModel>[] {
  return (Object.keys(logsDatasources) as LogsKind[])
    .filter((kind) => used.has(kind))
    .map((kind) =>
      new sdk.dashboard.DatasourceVariableBuilder(templateVariables[kind])
        .label(logsDatasources[kind].name)
        .type(kind)
        .current({ selected: true, text: logsDatasources[kind].name, value: logsDatasources[kind].uid }),
    );
}

/**
 * Labels by meaning; the profile maps them to its own label names (`gpu` is `gpu_uuid` on
 * Triton, `UUID` on DCGM). The first five are dashboard variables too.
 */
export type SemanticLabel = 'job' | 'instance' | 'model' | 'host' | 'gpu' | 'gpuInstance' | 'namespace' | 'pod';

/** The semantic labels that are dashboard variables, in chain order. */
type ChainedLabel = keyof typeof chain;

/** Which dashboard variables apply to a series: model-level, GPU-level, or scrape-target metrics (`up`). */
export type Scope = 'model' | 'gpu' | 'target';

/** The chain of query variables: each lists only the values the variables before it select. */
const chain = {
  job: { title: 'Job', after: [] },
  instance: { title: 'Instance', after: ['job'] },
  model: { title: 'Model', after: ['job', 'instance'] },
  host: { title: 'Host', after: ['job', 'instance'] },
  gpu: { title: 'GPU', after: ['job', 'instance'] },
} as const satisfies Record<string, { readonly title: string; readonly after: readonly string[] }>;

const scopeVariables: Readonly<Record<Scope, readonly ChainedLabel[]>> = {
  model: ['job', 'instance', 'model'],
  gpu: ['job', 'instance', 'host', 'gpu'],
  target: ['job', 'instance'],
};

/** The variables that filter a series of `scope`, in chain order: `job`, `instance`, then `model`, or `host` and `gpu`. */
export function filteringVariables(scope: Scope): readonly ChainedLabel[] {
  return scopeVariables[scope];
}

/**
 * Whether the profile's extra label `extra` (a variable after `$model`) is on the series of
 * `metric`: every model-level metric unless the label names the ones that carry it.
 */
export function carriesExtraLabel(extra: ExtraLabel, metric: string): boolean {
  return extra.carriedBy === undefined || extra.carriedBy.includes(metric);
}

/**
 * A Grafana variable reference: `${name}`, `${name:format}`, `$name` or `[[name]]`; the name is
 * group 1, 2 or 3. Grafana substitutes it anywhere in a query's text, quoted label values included.
 * `$1` is not one: no variable has a name of digits only (the save rules refuse it), and Grafana
 * leaves a reference to a variable that does not exist as it is, so `label_replace`'s `"$1"` stays.
 */
export const variableReference = /\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}|\$(\d*[A-Za-z_]\w*)|\[\[([A-Za-z0-9_]+)\]\]/g;

/**
 * The name in a {@link variableReference} matched at `from`-`to` of `text` (the whole text by
 * default), read off its form: `[[name]]`, `${name}`, `${name:format}` or `$name`.
 */
export function variableName(text: string, from = 0, to = text.length): string {
  if (text.charCodeAt(from) === 91) return text.slice(from + 2, to - 2);
  if (text.charCodeAt(from + 1) !== 123) return text.slice(from + 1, to);
  const colon = text.indexOf(':', from + 2);
  return text.slice(from + 2, colon !== -1 && colon < to ? colon : to - 1);
}

/** Whether Grafana would substitute something in `text`. */
export function hasVariableReference(text: string): boolean {
  variableReference.lastIndex = 0;
  return variableReference.test(text);
}

const regexSpecial = /[\\.+*?()|[\]{}^$]/g;

/**
 * An RE2 pattern matching exactly `value`, written so that Grafana substitutes nothing in it:
 * `$` becomes `[$]` (escaping does not stop Grafana reading `\$name`), and `[[` is escaped.
 */
export function literalPattern(value: string): string {
  return value.replace(regexSpecial, (character) => (character === '$' ? '[$]' : `\\${character}`));
}

/**
 * A caller's regex with the variable references Grafana would substitute made literal: the `$`
 * of `$name` or `${name}` becomes `[$]` (as an anchor it could never match there), `[[` becomes `\[\[`.
 */
export function withoutVariableReferences(pattern: string): string {
  return pattern.replace(variableReference, (reference) =>
    reference.startsWith('[[')
      ? `\\[\\[${reference.slice(2, -2)}\\]\\]`
      : reference.startsWith('${')
        ? `[$]\\{${reference.slice(2, -1)}\\}`
        : `[$]${reference.slice(1)}`,
  );
}

/** The Prometheus datasource the dashboards default to; the provisioning YAML defines it. */
export interface DatasourceDefault {
  readonly uid: string;
  readonly name: string;
}

/** uid and name of the datasource that `build-dashboards` provisions. */
export const defaultDatasource: DatasourceDefault = { uid: 'inferboard-prometheus', name: 'Prometheus' };

type Parents = readonly (readonly [string, string])[];

/** `{parent=~"$parentVariable",...}`; parents are [label, variable] pairs. */
function parentMatchers(parents: Parents): string {
  const matchers = parents.map(([parent, variable]) => `${parent}=~"$${variable}"`).join(',');
  return matchers ? `{${matchers}}` : '';
}

/** `label_values(metric{parent=~"$parentVariable",...}, label)`. */
function labelValuesQuery(metric: string, label: string, parents: Parents): string {
  return `label_values(${metric}${parentMatchers(parents)}, ${label})`;
}

/**
 * The values of a label that has older spellings (DCGM's `Hostname` and `hostname`), read as one
 * label: `query_result()` of the series with the aliases copied into `label`, and a regex that
 * takes its value out of each result line.
 */
function aliasedValuesQuery(metric: string, label: string, aliases: readonly string[], parents: Parents) {
  const series = aliases.reduce(
    (expr, alias) => `label_replace(${expr}, "${label}", "$1", "${alias}", "(.+)")`,
    `${metric}${parentMatchers(parents)}`,
  );
  return { query: `query_result(count by (${label}) (${series}))`, regex: `/${label}="([^"]*)"/` };
}

function queryVariable(name: string, label: string, definition: string, regex?: string): grafana.QueryVariableBuilder {
  const builder = new sdk.dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query(definition)
    .definition(definition)
    .refresh(sdk.dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(sdk.dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    // A regex rather than Grafana's list of every value: it stays short and matches series that appear later.
    .allValue(allValue)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
  return regex ? builder.regex(regex) : builder;
}

/** The label names of the variables before `variable` in the chain, paired with their variables. */
function parentsOf(profile: MetricsProfile, variable: ChainedLabel): Parents {
  return chain[variable].after.flatMap((parent) => {
    const label = profile.labels[parent];
    return label ? [[label, templateVariables[parent]] as const] : [];
  });
}

/**
 * The variables a dashboard over `profile` needs, in display order, as SDK builders: pass them
 * to `DashboardBuilder.variables()` of a plain Foundation SDK dashboard too. The chain is
 * `$job` -> `$instance` -> `$model` and the profile's extra labels (vLLM's `$engine`), or
 * `$host` and `$gpu` for GPU series.
 */
export function variablesFor(
  profile: MetricsProfile,
  source: DatasourceDefault = defaultDatasource,
): cog.Builder<grafana.VariableModel>[] {
  const { labels } = profile;
  const variables: cog.Builder<grafana.VariableModel>[] = [
    new sdk.dashboard.DatasourceVariableBuilder(templateVariables.datasource)
      .label('Data source')
      .type('prometheus')
      .current({ selected: true, text: source.name, value: source.uid }),
  ];
  for (const variable of Object.keys(chain) as ChainedLabel[]) {
    const label = labels[variable];
    // GPU values come from a GPU gauge; the rest from the series every target exports.
    const metric = variable === 'gpu' ? profile.gpu?.utilization.name : profile.discoveryMetric;
    if (label === undefined || metric === undefined) continue;
    const parents = parentsOf(profile, variable);
    const { title } = chain[variable];
    if (variable === 'host' && labels.hostAliases?.length) {
      const { query, regex } = aliasedValuesQuery(metric, label, labels.hostAliases, parents);
      variables.push(queryVariable(templateVariables.host, title, query, regex));
    } else {
      variables.push(queryVariable(templateVariables[variable], title, labelValuesQuery(metric, label, parents)));
    }
    if (variable !== 'model') continue;
    for (const extra of labels.extra ?? []) {
      const carrier = extra.carriedBy?.[0] ?? profile.discoveryMetric;
      const extraParents: Parents = [...parents, [label, templateVariables.model]];
      variables.push(queryVariable(extra.label, extra.title, labelValuesQuery(carrier, extra.label, extraParents)));
    }
  }
  return variables;
}

/** What Grafana fills in for one refresh. */
export interface Refresh {
  /** `$__rate_interval`: Grafana takes max(4 x scrape interval, step + scrape interval). */
  readonly rateInterval: string;
  /** `$__interval`: the step (at least the scrape interval and the panel's min interval). Unset, a query that uses it fails. */
  readonly interval?: string;
  /** `$__range`: the length of the dashboard's time range. */
  readonly range: string;
  /** Values of the dashboard's variables; unset ones take their All value. */
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * A target's PromQL as Grafana sends it for `refresh`: every {@link variableReference} replaced,
 * every variable not given at All. Throws on a variable neither the dashboard nor Grafana defines.
 */
export function expandVariables(expr: string, dashboard: grafana.Dashboard, refresh: Refresh): string {
  const values: Record<string, string> = {
    __rate_interval: refresh.rateInterval,
    __range: refresh.range,
    ...(refresh.interval ? { __interval: refresh.interval } : {}),
  };
  for (const variable of dashboard.templating?.list ?? []) values[variable.name] = variable.allValue ?? allValue;
  Object.assign(values, refresh.values);
  return expr.replace(variableReference, (whole: string) => {
    const value = values[variableName(whole)];
    if (value === undefined) throw new Error(`no value for dashboard variable ${whole} in ${expr}`);
    return value;
  });
}
