/**
 * inferboard: typed dashboards-as-code for ML inference servers (NVIDIA Triton, dynamic
 * batchers, vLLM, SGLang, TGI, Triton with TensorRT-LLM, GPUs from DCGM) on Prometheus and
 * Grafana. The authoring API: panels, dashboards, presets, template variables, metric profiles
 * and Prometheus rules, each builder checking its options at run time. The build tool's
 * functions are in `inferboard/build`.
 */
export * from '../panels/index.js';
/** The query functions, namespaced: their names match the panels' (`queries.requestRate`). */
export * as queries from '../queries/index.js';
export {
  tritonMetrics,
  createTritonProfile,
  batcherMetrics,
  createBatcherProfile,
  vllmMetrics,
  sglangMetrics,
  tgiMetrics,
  tensorrtLlmMetrics,
  createTensorrtLlmProfile,
  dcgmMetrics,
  createDcgmProfile,
  builtInProfiles,
  templateVariables,
  datasource,
  variablesFor,
  defaultDatasource,
  expandVariables,
  MissingMetricError,
  OptionsError,
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
  type TensorrtLlmProfileOptions,
  type DcgmProfileOptions,
  type ApproximateTiming,
  type GpuMetrics,
  type ProfileLabels,
  type MetricFamilies,
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
  vllmDashboard,
  sglangDashboard,
  tgiDashboard,
  tensorrtLlmDashboard,
  gpuDashboard,
  type PresetOptions,
  type ServingPresetOptions,
  type LogsRowOptions,
  type TracesRowOptions,
  type LlmPresetOptions,
  type SloDashboardOptions,
} from './dashboards/presets.js';
export { layout, LayoutError, type Section } from './dashboards/layout.js';
export { allPanels, promqlTargets, queryLanguage, type QueryLanguage } from './dashboards/walk.js';
export { lintRules, type LintConfig, type LintRuleId } from './dashboards/lintConfig.js';
export * from '../alerts/index.js';
