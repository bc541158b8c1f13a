/**
 * vLLM's V1 engine (0.12.x line): `vllm:` families from `vllm/v1/metrics/loggers.py`
 * (`PrometheusStatLogger`), every series labelled `model_name` (the served name) and `engine`
 * (the engine index, "0" without data parallelism). prometheus_client adds `_total` to the
 * counters and a `_created` gauge beside every counter and histogram. The colon in the names is
 * the server's, not a recording rule's.
 */
import type { MetricFamilies, MetricsProfile, Timing } from './profile.js';

/** Bucket bounds vLLM's histograms export, in seconds. */
export const vllmBuckets = {
  timeToFirstToken: [
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
  ],
  interToken: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80],
  requestPhase: [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680],
} as const;

/** The families a vLLM 0.12 API server exports under `vllm:`, and the names of earlier releases. */
export const vllmMetricFamilies: MetricFamilies = {
  // Speculative decoding, LoRA and KV connectors add families: the list is not exhaustive.
  prefixes: [],
  createdSeries: true,
  counter: [
    'vllm:request_success_total',
    'vllm:prompt_tokens_total',
    'vllm:generation_tokens_total',
    'vllm:num_preemptions_total',
    'vllm:prefix_cache_queries_total',
    'vllm:prefix_cache_hits_total',
    'vllm:external_prefix_cache_queries_total',
    'vllm:external_prefix_cache_hits_total',
    'vllm:mm_cache_queries_total',
    'vllm:mm_cache_hits_total',
    // Before 0.12 (deprecated in 0.9.2).
    'vllm:gpu_prefix_cache_queries_total',
    'vllm:gpu_prefix_cache_hits_total',
  ],
  gauge: [
    'vllm:num_requests_running',
    'vllm:num_requests_waiting',
    'vllm:kv_cache_usage_perc',
    'vllm:engine_sleep_state',
    'vllm:cache_config_info',
    // Before 0.12, and before the V1 engine.
    'vllm:gpu_cache_usage_perc',
    'vllm:cpu_cache_usage_perc',
    'vllm:num_requests_swapped',
  ],
  histogram: [
    'vllm:time_to_first_token_seconds',
    'vllm:inter_token_latency_seconds',
    'vllm:request_time_per_output_token_seconds',
    'vllm:e2e_request_latency_seconds',
    'vllm:request_queue_time_seconds',
    'vllm:request_prefill_time_seconds',
    'vllm:request_decode_time_seconds',
    'vllm:request_inference_time_seconds',
    'vllm:request_prompt_tokens',
    'vllm:request_generation_tokens',
    'vllm:request_params_max_tokens',
    'vllm:request_max_num_generation_tokens',
    'vllm:request_params_n',
    'vllm:iteration_tokens_total',
    // The inter-token latency before 0.11 (hidden in 0.12).
    'vllm:time_per_output_token_seconds',
  ],
  summary: [],
};

/** A prometheus_client histogram in seconds as a {@link Timing}. */
function histogram(name: string, per: Timing['per'], buckets: readonly number[], previousName?: string): Timing {
  const previous = (suffix: string) => (previousName ? { previousNames: [`${previousName}${suffix}`] } : {});
  return {
    unit: 'seconds',
    total: { name: `${name}_sum`, ...previous('_sum') },
    count: { name: `${name}_count`, ...previous('_count') },
    quantiles: { kind: 'histogram', name, buckets, ...(previousName ? { previousNames: [previousName] } : {}) },
    per,
  };
}

const finished = 'vllm:request_success_total';

/** The vLLM profile: an OpenAI-compatible API server (`vllm serve`) on the V1 engine. */
export const vllmMetrics: MetricsProfile = {
  id: 'vllm',
  displayName: 'vLLM',
  defaultJob: 'vllm',
  alertPrefix: 'Vllm',
  labels: {
    job: 'job',
    instance: 'instance',
    model: 'model_name',
    extra: [{ label: 'engine', title: 'Engine' }],
  },
  discoveryMetric: 'vllm:num_requests_running',
  scrape: { port: 8000 },
  // vLLM's llm_request span (--otlp-traces-endpoint).
  spanModelAttribute: 'span.gen_ai.response.model',
  families: vllmMetricFamilies,
  // Every finished request, by finished_reason: stop and length (and any later reason) completed,
  // error failed, abort was given up.
  requests: {
    total: { name: finished },
    success: { name: finished, matchers: { finished_reason: { operator: '!~', value: 'error|abort' } } },
    failure: { name: finished, matchers: { finished_reason: 'error' } },
    aborted: { name: finished, matchers: { finished_reason: 'abort' } },
    failureMeaning: 'finished with reason "error"; aborted requests are counted apart',
  },
  finishReasons: { metric: { name: finished }, label: 'finished_reason' },
  latency: histogram('vllm:e2e_request_latency_seconds', 'request', vllmBuckets.requestPhase),
  firstResponse: histogram('vllm:time_to_first_token_seconds', 'request', vllmBuckets.timeToFirstToken),
  interToken: histogram(
    'vllm:inter_token_latency_seconds',
    'token',
    vllmBuckets.interToken,
    'vllm:time_per_output_token_seconds',
  ),
  queueTime: histogram('vllm:request_queue_time_seconds', 'request', vllmBuckets.requestPhase),
  prefill: histogram('vllm:request_prefill_time_seconds', 'request', vllmBuckets.requestPhase),
  decode: histogram('vllm:request_decode_time_seconds', 'request', vllmBuckets.requestPhase),
  computeTime: { infer: histogram('vllm:request_inference_time_seconds', 'request', vllmBuckets.requestPhase) },
  pendingRequests: { name: 'vllm:num_requests_waiting' },
  runningRequests: { name: 'vllm:num_requests_running' },
  kvCacheUsage: { name: 'vllm:kv_cache_usage_perc', previousNames: ['vllm:gpu_cache_usage_perc'] },
  tokens: { prompt: { name: 'vllm:prompt_tokens_total' }, generation: { name: 'vllm:generation_tokens_total' } },
  preemptions: { metric: { name: 'vllm:num_preemptions_total' }, kind: 'counter' },
  prefixCache: {
    hits: { name: 'vllm:prefix_cache_hits_total', previousNames: ['vllm:gpu_prefix_cache_hits_total'] },
    queries: { name: 'vllm:prefix_cache_queries_total', previousNames: ['vllm:gpu_prefix_cache_queries_total'] },
  },
};
