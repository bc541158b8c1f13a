/**
 * Typed panel builders. Each is callable with no arguments (Triton defaults; vLLM for the LLM
 * panels), takes {@link PanelOptions}, and returns a Grafana Foundation SDK panel builder.
 */
export { requestRate } from './requestRate.js';
export { errorRate } from './errorRate.js';
export { batchSize, type BatchingPanelOptions } from './batchSize.js';
export {
  latency,
  timeToFirstToken,
  interTokenLatency,
  endToEndLatency,
  requestQueueTime,
  prefillDecodeTime,
  inferenceTime,
  quantileName,
  type LatencyPanelOptions,
} from './latency.js';
export { runningRequests, kvCacheUsage, preemptions } from './llmEngine.js';
export { tokenThroughput, prefixCacheHitRate } from './tokens.js';
export { finishReasons } from './finishReasons.js';
export { gpuUtilization, type GpuPanelOptions } from './gpuUtilization.js';
export { gpuMemory, type GpuMemoryPanelOptions } from './gpuMemory.js';
export { gpuPower, gpuTemperature, gpuXidErrors } from './gpuHealth.js';
export { queueTime } from './queueTime.js';
export { computeTime } from './computeTime.js';
export { batchingEfficiency } from './batchingEfficiency.js';
export { totalRequests, totalFailures, totalExecutions } from './totals.js';
export { modelSummary } from './modelSummary.js';
export { queueSize } from './queueSize.js';
export { inflightBatches } from './inflightBatches.js';
export { batchSizeDistribution } from './batchSizeDistribution.js';
export {
  requestLogs,
  errorLogs,
  logVolume,
  slowRequests,
  type LogPanelOptions,
  type LogVolumePanelOptions,
  type SlowRequestsPanelOptions,
} from './logs.js';
export { traceSearch, type TracePanelOptions } from './traces.js';
export { errorBudgetRemaining, burnRate, serviceLevel, type SloPanelOptions, type SloWindowPanelOptions } from './slo.js';
export { defaultTopSeries, legendFormat, lintExemptionsOf, type PanelOptions, type Threshold } from './common.js';
export { gridColumns, maximumTitleLength, minimumSchemaVersion, checkUid } from './limits.js';
