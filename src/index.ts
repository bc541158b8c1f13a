/**
 * inferboard: typed dashboards-as-code for ML inference servers (NVIDIA Triton, dynamic
 * batchers) on Prometheus and Grafana. Everything: queries, panels, dashboards, provisioning.
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
  MissingMetricError,
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
  checkUid,
  type DashboardOptions,
  type InferboardDashboard,
  type PanelLike,
  type RowDefinition,
} from './dashboard.js';
export { tritonDashboard, batcherDashboard, sloDashboard, type PresetOptions, type SloDashboardOptions } from './presets.js';
export { layout, gridColumns, LayoutError, type Section } from './layout.js';
export { variablesFor, defaultDatasource, expandVariables, type DatasourceDefault, type Refresh } from './variables.js';
export {
  provisioningFiles,
  serializeDashboard,
  checkFolder,
  providerFile,
  datasourceFile,
  type BuiltDashboard,
  type ProvisioningOptions,
} from './provisioning.js';
export { allPanels, checkPromql, substituteVariables, validatePromql, BuildError, type PromqlError } from './validate.js';
export {
  buildInto,
  buildTree,
  findModules,
  loadAll,
  type BuildCounts,
  type BuildResult,
  type LoadedModule,
  type LoadedRuleGroup,
  type TreeSink,
} from './build.js';
export * from '../alerts/index.js';
export { stageTree, writeTree, checkTree, type Difference, type StagedTree } from './output.js';
export {
  diffTrees,
  hasChanges,
  formatMarkdown,
  formatTerminal,
  summary as diffSummary,
  type TreeDiff,
  type DashboardDiff,
  type PanelDiff,
  type RuleDiff,
  type Change,
} from './diff.js';
export { treeOf, readTree } from './revision.js';
export { pushDashboards, formatOutcome, PushError, type PushOptions, type PushOutcome, type PushAction } from './push.js';
export { previewSvg, previewScale, previewColours } from './preview.js';
export {
  lintDashboard,
  lintRules,
  metricKinds,
  formatFinding,
  type LintConfig,
  type LintFinding,
  type LintRuleId,
  type MetricKinds,
} from './lint.js';
export { expressionFacts, type ExpressionFacts, type SelectorUse, type Matcher, type NumberOperation } from './promqlSyntax.js';
