/**
 * The shared PromQL module: metric profiles (Triton, the dynamic batcher, vLLM, SGLang, TGI,
 * Triton with TensorRT-LLM, the DCGM exporter) and semantic query functions that return
 * `{ expr, by }`. Nothing here knows about panels.
 */
export * from './profile.js';
export * from './durations.js';
export { regexProblem } from './regex.js';
export { OptionsError } from './options.js';
export {
  requestLogFormat,
  logFormatOf,
  logSelector,
  requestLogsQuery,
  errorLogsQuery,
  logVolumeQuery,
  slowRequestsQuery,
  type LogFormat,
  type LogQueryOptions,
} from './logs.js';
export { slowTracesQuery, type TraceQueryOptions } from './traces.js';
export {
  createTritonProfile,
  tritonMetrics,
  tritonMetricFamilies,
  tritonGpuMetrics,
  type TritonProfileOptions,
} from './triton.js';
export { vllmMetrics, vllmMetricFamilies, vllmBuckets } from './vllm.js';
export { sglangMetrics, sglangMetricFamilies, sglangBuckets } from './sglang.js';
export { tgiMetrics, tgiMetricFamilies, tgiDurationBuckets } from './tgi.js';
export {
  createTensorrtLlmProfile,
  tensorrtLlmMetrics,
  tensorrtLlmMetricFamilies,
  type TensorrtLlmProfileOptions,
} from './tensorrtLlm.js';
export { createDcgmProfile, dcgmMetrics, dcgmMetricFamilies, type DcgmProfileOptions } from './dcgm.js';
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
  lokiDatasource,
  tempoDatasource,
  logsDatasources,
  logsDatasourceVariables,
  type LogsKind,
  variableReference,
  variableName,
  hasVariableReference,
  variablesFor,
  carriesExtraLabel,
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
export * from './llm.js';
export * from './targets.js';
export * from './recording.js';
export * from './slo.js';
export { topSeries, rankedQuery, type SeriesRank, type SeriesRanking } from './promql.js';

import { batcherMetrics } from './batcher.js';
import { dcgmMetrics } from './dcgm.js';
import { sglangMetrics } from './sglang.js';
import { tensorrtLlmMetrics } from './tensorrtLlm.js';
import { tgiMetrics } from './tgi.js';
import { tritonMetrics } from './triton.js';
import { vllmMetrics } from './vllm.js';

/** The profiles inferboard ships: lint knows their metrics' kinds and names. */
export const builtInProfiles = [
  tritonMetrics,
  batcherMetrics,
  vllmMetrics,
  sglangMetrics,
  tgiMetrics,
  tensorrtLlmMetrics,
  dcgmMetrics,
] as const;
