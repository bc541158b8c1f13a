/**
 * Template variables derived from a profile: datasource, then job -> instance -> model / gpu,
 * each multi-select with All, chained so each lists only what the previous ones select.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { datasource } from '../panels/common.js';
import { sdk } from '../panels/sdk.js';
import { allValue, templateVariables, variableName, variableReference, type MetricsProfile } from '../queries/index.js';

/** The Prometheus datasource the dashboards default to; the provisioning YAML defines it. */
export interface DatasourceDefault {
  readonly uid: string;
  readonly name: string;
}

/** uid and name of the datasource that `build-dashboards` provisions. */
export const defaultDatasource: DatasourceDefault = { uid: 'inferboard-prometheus', name: 'Prometheus' };

/** `label_values(metric{parent=~"$parentVariable",...}, label)`; parents are [label, variable] pairs. */
function labelValuesQuery(metric: string, label: string, parents: readonly (readonly [string, string])[]): string {
  const matchers = parents.map(([parent, variable]) => `${parent}=~"$${variable}"`).join(',');
  return `label_values(${metric}${matchers ? `{${matchers}}` : ''}, ${label})`;
}

function queryVariable(name: string, label: string, definition: string): grafana.QueryVariableBuilder {
  return new sdk.dashboard.QueryVariableBuilder(name)
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
}

/**
 * The variables a dashboard over `profile` needs, in display order, as SDK builders: pass them
 * to `DashboardBuilder.variables()` of a plain Foundation SDK dashboard too.
 */
export function variablesFor(profile: MetricsProfile, source: DatasourceDefault = defaultDatasource): cog.Builder<grafana.VariableModel>[] {
  const { labels } = profile;
  const variables: cog.Builder<grafana.VariableModel>[] = [
    new sdk.dashboard.DatasourceVariableBuilder(templateVariables.datasource)
      .label('Data source')
      .type('prometheus')
      .current({ selected: true, text: source.name, value: source.uid }),
    queryVariable(templateVariables.job, 'Job', labelValuesQuery(profile.discoveryMetric, labels.job, [])),
    queryVariable(
      templateVariables.instance,
      'Instance',
      labelValuesQuery(profile.discoveryMetric, labels.instance, [[labels.job, templateVariables.job]]),
    ),
  ];
  const scope = [
    [labels.job, templateVariables.job],
    [labels.instance, templateVariables.instance],
  ] as const;
  if (labels.model) {
    variables.push(
      queryVariable(templateVariables.model, 'Model', labelValuesQuery(profile.discoveryMetric, labels.model, scope)),
    );
  }
  if (labels.gpu && profile.gpu) {
    variables.push(
      queryVariable(templateVariables.gpu, 'GPU', labelValuesQuery(profile.gpu.utilization.name, labels.gpu, scope)),
    );
  }
  return variables;
}

export { variableName, variableReference };

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
