/**
 * `inferboard/build`: the build tool's functions, for scripts that drive a build themselves:
 * loading dashboard modules, checking, provisioning files and the output tree, review (diff,
 * preview) and delivery (push). `build-dashboards` is made of them.
 */
export {
  buildInto,
  buildTree,
  findModules,
  loadAll,
  type BuildCounts,
  type BuildOptions,
  type BuildResult,
  type LoadedModule,
  type LoadedRuleGroup,
  type TreeSink,
} from './build/build.js';
export {
  provisioningFiles,
  serializeDashboard,
  checkFolder,
  providerFile,
  datasourceFile,
  type BuiltDashboard,
  type ProvisioningOptions,
} from './build/provisioning.js';
export { stageTree, writeTree, checkTree, listFiles, type Difference, type StagedTree } from './build/output.js';
export {
  toDashboardV2,
  fromDashboardV2,
  isDashboardResource,
  dashboardV2ApiVersion,
  type DashboardResource,
} from './build/dashboardV2.js';
export { kubernetesLimits, type KubernetesOptions } from './build/kubernetes.js';
export { folderUidFor } from './build/folderUid.js';
export { BuildError } from './check/errors.js';
export { checkPromql, substituteVariables, validatePromql, type PromqlError } from './check/promql.js';
export { checkSaveRules } from './check/saveRules.js';
export { checkDashboard, type DashboardVerdict } from './check/dashboard.js';
export { lintDashboard, metricKinds, formatFinding, type LintFinding, type MetricKinds } from './check/lint.js';
export {
  expressionFacts,
  type ExpressionFacts,
  type SelectorUse,
  type Matcher,
  type NumberOperation,
} from './check/expressionFacts.js';
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
} from './review/diff.js';
export { treeOf, readTree } from './review/revision.js';
export { previewSvg, previewScale, previewColours } from './review/preview.js';
export {
  pushDashboards,
  formatOutcome,
  PushError,
  type PushOptions,
  type PushOutcome,
  type PushAction,
  type PushDashboard,
} from './deliver/push.js';
