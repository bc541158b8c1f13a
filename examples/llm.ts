// LLM serving (the LLM observability guide): the vLLM dashboard with the GPUs that serve it, from
// NVIDIA's DCGM exporter; the GPU fleet; their alerts; and objectives on availability, time to
// first token and inter-token latency, read from vLLM's own histograms.
import {
  dcgmMetrics,
  gpuAlerts,
  gpuDashboard,
  llmAlerts,
  serviceLevelObjective,
  sloDashboard,
  sloRules,
  vllmDashboard,
  vllmMetrics,
} from 'inferboard';

const runbookBaseUrl = 'https://runbooks.example.com/llm';
const vllm = { profile: vllmMetrics, filters: [{ label: 'job', value: 'vllm' }] };

export const objectives = [
  serviceLevelObjective({ ...vllm, name: 'vllm-availability', objective: 99.9, indicator: { kind: 'availability' } }),
  // 0.5 s and 0.1 s are bucket bounds of vLLM's histograms: the build refuses a bound they lack.
  serviceLevelObjective({
    ...vllm,
    name: 'vllm-time-to-first-token',
    objective: 99,
    indicator: { kind: 'latency', timing: 'firstResponse', thresholdSeconds: 0.5 },
  }),
  serviceLevelObjective({
    ...vllm,
    name: 'vllm-inter-token-latency',
    objective: 99,
    indicator: { kind: 'latency', timing: 'interToken', thresholdSeconds: 0.1 },
  }),
];

export default [
  vllmDashboard({ folder: 'LLM', gpu: dcgmMetrics }),
  gpuDashboard({ folder: 'LLM' }),
  sloDashboard({ uid: 'llm-slo', title: 'LLM SLOs', objectives, folder: 'LLM' }),
  llmAlerts({ runbookBaseUrl }),
  gpuAlerts({ runbookBaseUrl }),
  sloRules(objectives, { groupName: 'inferboard-llm-slo', runbookBaseUrl }),
];
