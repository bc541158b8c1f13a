/**
 * The shared PromQL module: metric profiles (Triton, the dynamic batcher) and semantic query
 * functions that return `{ expr, by }`. Nothing here knows about panels.
 */
export * from './profile.js';
export * from './durations.js';
export { regexProblem } from './regex.js';
export {
  createTritonProfile,
  tritonMetrics,
  tritonMetricFamilies,
  tritonSeriesNames,
  type TritonProfileOptions,
} from './triton.js';
export {
  createBatcherProfile,
  batcherMetrics,
  defaultBatcherMetricNames,
  type BatcherMetricNames,
  type BatcherProfileOptions,
} from './batcher.js';
export {
  templateVariables,
  allValue,
  datasource,
  variableReference,
  variableName,
  hasVariableReference,
  variablesFor,
  defaultDatasource,
  expandVariables,
  type DatasourceDefault,
  type Refresh,
} from './variables.js';
export {
  defaultWindow,
  profileOf,
  type LabelFilter,
  type LabelName,
  type LabelOperator,
  type PromQuery,
  type QueryOptions,
  type SemanticLabel,
} from './selectors.js';
export * from './requests.js';
export * from './batching.js';
export * from './timing.js';
export * from './gpu.js';
export * from './gauges.js';
export * from './targets.js';
export * from './recording.js';
export * from './slo.js';
export { topSeries, type SeriesRank } from './promql.js';
