// Service level objectives (the LLM observability guide: 99.9 % availability, P99 under 2 s), written once and
// turned into recording rules, burn-rate alerts and the SLO dashboard.
import { batcherMetrics, serviceLevelObjective, sloDashboard, sloRules } from 'inferboard';

const triton = [{ label: 'job', value: 'triton' }];
const inferenceApi = [{ label: 'job', value: 'inference-api' }];

export const objectives = [
  // Per model: the Triton series keep their model label, so each model has its own budget.
  serviceLevelObjective({ name: 'triton-availability', objective: 99.9, indicator: { kind: 'availability' }, filters: triton }),
  // Triton exports latency summaries, not histograms: judged per minute on the worst instance's P99.
  serviceLevelObjective({
    name: 'triton-latency',
    objective: 99,
    indicator: { kind: 'latency', thresholdSeconds: 2 },
    filters: triton,
  }),
  serviceLevelObjective({
    name: 'api-availability',
    objective: 99.9,
    indicator: { kind: 'availability' },
    profile: batcherMetrics,
    filters: inferenceApi,
  }),
  // The batcher's histogram counts requests: 99 % within 0.5 s (a bucket bound of prom-client's defaults).
  serviceLevelObjective({
    name: 'api-latency',
    objective: 99,
    indicator: { kind: 'latency', thresholdSeconds: 0.5 },
    profile: batcherMetrics,
    filters: inferenceApi,
  }),
];

export default [
  sloDashboard({ objectives, folder: 'Inference' }),
  sloRules(objectives, { runbookBaseUrl: 'https://runbooks.example.com/inference' }),
];
