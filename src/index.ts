/**
 * inferboard: typed dashboards-as-code for ML inference servers (NVIDIA Triton, dynamic
 * batchers) on Prometheus and Grafana. The authoring API: panels, dashboards, presets,
 * template variables, metric profiles and Prometheus rules. The build tool's functions are in
 * `inferboard/build`.
 */
export * from '../panels/index.js';
/** The query functions, namespaced: their names match the panels' (`queries.requestRate`). */
export * as queries from '../queries/index.js';
export {
  tritonMetrics,
  createTritonProfile,
  batcherMetrics,
  createBatcherProfile,
  templateVariables,
  datasource,
  variablesFor,
  defaultDatasource,
  expandVariables,
  MissingMetricError,
  type DatasourceDefault,
  type Refresh,
  type MetricsProfile,
  type MetricRef,
  type Timing,
  type QueryOptions,
  type LabelFilter,
  type PromQuery,
  type TritonProfileOptions,
  type BatcherProfileOptions,
  serviceLevelObjective,
  type ServiceLevelObjective,
  type ServiceLevelObjectiveSpec,
  type ServiceLevelIndicator,
  type AvailabilityIndicator,
  type LatencyIndicator,
} from '../queries/index.js';
export {
  dashboard,
  dashboardsLink,
  type DashboardOptions,
  type InferboardDashboard,
  type PanelLike,
  type RowDefinition,
} from './dashboards/dashboard.js';
export {
  tritonDashboard,
  batcherDashboard,
  sloDashboard,
  type PresetOptions,
  type SloDashboardOptions,
} from './dashboards/presets.js';
export { layout, LayoutError, type Section } from './dashboards/layout.js';
export { allPanels } from './dashboards/walk.js';
export { lintRules, type LintConfig, type LintRuleId } from './dashboards/lintConfig.js';
export * from '../alerts/index.js';
