/**
 * SGLang (0.5.x): `sglang:` families from `python/sglang/srt/metrics/collector.py`. Tokenizer-side
 * series (requests, tokens, latency histograms) carry `model_name` and `engine_type`;
 * scheduler-side series (running and queued requests, KV cache, queue time, retractions) also
 * carry `tp_rank`, `pp_rank` and `moe_ep_rank`. prometheus_client runs in multiprocess mode:
 * no `_created` series.
 */
import type { MetricFamilies, MetricsProfile, Timing } from './profile.js';

/** Bucket bounds SGLang's histograms export, in seconds. */
export const sglangBuckets = {
  timeToFirstToken: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400],
  interToken: [
    0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8,
  ],
  endToEnd: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 600, 1200, 1800, 2400],
  queueTime: [
    0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    1200, 1400, 1600, 1800, 2000, 2500, 3000,
  ],
} as const;

/** The families an SGLang server exports under `sglang:`. */
export const sglangMetricFamilies: MetricFamilies = {
  // Version-dependent and event-driven families are not listed: the list is not exhaustive.
  prefixes: [],
  counter: [
    'sglang:num_requests_total',
    'sglang:num_aborted_requests_total',
    'sglang:prompt_tokens_total',
    'sglang:generation_tokens_total',
    'sglang:cached_tokens_total',
    'sglang:realtime_tokens_total',
    'sglang:cuda_graph_passes_total',
    'sglang:num_retracted_requests_total',
    'sglang:num_retracted_input_tokens_total',
    'sglang:num_retracted_output_tokens_total',
  ],
  gauge: [
    'sglang:num_running_reqs',
    'sglang:num_queue_reqs',
    'sglang:num_used_tokens',
    'sglang:max_total_num_tokens',
    'sglang:token_usage',
    'sglang:gen_throughput',
    'sglang:cache_hit_rate',
    'sglang:spec_accept_length',
    'sglang:spec_accept_rate',
    'sglang:num_retracted_reqs',
    'sglang:num_paused_reqs',
    'sglang:num_grammar_queue_reqs',
    'sglang:num_running_reqs_offline_batch',
    'sglang:pending_prealloc_token_usage',
    'sglang:swa_token_usage',
    'sglang:mamba_usage',
    'sglang:decode_sum_seq_lens',
    'sglang:num_prefill_prealloc_queue_reqs',
    'sglang:num_prefill_inflight_queue_reqs',
    'sglang:num_decode_prealloc_queue_reqs',
    'sglang:num_decode_transfer_queue_reqs',
    'sglang:kv_transfer_speed_gb_s',
    'sglang:kv_transfer_latency_ms',
    'sglang:kv_transfer_bootstrap_ms',
    'sglang:kv_transfer_alloc_ms',
    'sglang:kv_transfer_total_mb',
    'sglang:utilization',
    'sglang:engine_startup_time',
    'sglang:engine_load_weights_time',
    'sglang:is_cuda_graph',
    'sglang:num_unique_running_routing_keys',
    'sglang:new_token_ratio',
    // Gauges with non-cumulative `gt`/`le` buckets: not histograms.
    'sglang:routing_key_running_req_count',
    'sglang:routing_key_all_req_count',
  ],
  histogram: [
    'sglang:time_to_first_token_seconds',
    'sglang:inter_token_latency_seconds',
    'sglang:e2e_request_latency_seconds',
    'sglang:queue_time_seconds',
    'sglang:num_retractions',
  ],
  summary: [],
};

function histogram(name: string, per: Timing['per'], buckets: readonly number[], note?: string): Timing {
  return {
    unit: 'seconds',
    total: { name: `${name}_sum` },
    count: { name: `${name}_count` },
    quantiles: { kind: 'histogram', name, buckets },
    per,
    ...(note ? { note } : {}),
  };
}

/** The scheduler's series: they carry the parallelism ranks, the tokenizer's do not. */
const schedulerSeries = [
  'sglang:num_running_reqs',
  'sglang:num_queue_reqs',
  'sglang:token_usage',
  'sglang:queue_time_seconds_bucket',
  'sglang:queue_time_seconds_sum',
  'sglang:queue_time_seconds_count',
  'sglang:num_retracted_requests_total',
];

/** The SGLang profile: `python -m sglang.launch_server ... --enable-metrics`. */
export const sglangMetrics: MetricsProfile = {
  id: 'sglang',
  displayName: 'SGLang',
  defaultJob: 'sglang',
  alertPrefix: 'Sglang',
  labels: {
    job: 'job',
    instance: 'instance',
    model: 'model_name',
    extra: [
      { label: 'engine_type', title: 'Engine type' },
      { label: 'tp_rank', title: 'TP rank', carriedBy: schedulerSeries },
      { label: 'pp_rank', title: 'PP rank', carriedBy: schedulerSeries },
    ],
    // With --enable-metrics-for-all-schedulers every rank of one scheduler reports the same queue.
    replicas: ['tp_rank', 'pp_rank', 'moe_ep_rank'],
  },
  discoveryMetric: 'sglang:num_running_reqs',
  scrape: { port: 30000 },
  families: sglangMetricFamilies,
  requests: {
    total: { name: 'sglang:num_requests_total' },
    failure: { name: 'sglang:num_aborted_requests_total' },
    failureMeaning: 'aborted: SGLang counts a request that failed and one whose client went away alike',
  },
  latency: histogram('sglang:e2e_request_latency_seconds', 'request', sglangBuckets.endToEnd),
  firstResponse: histogram('sglang:time_to_first_token_seconds', 'request', sglangBuckets.timeToFirstToken),
  interToken: histogram(
    'sglang:inter_token_latency_seconds',
    'token',
    sglangBuckets.interToken,
    'SGLang observes each streamed chunk once per token it carried: _count counts tokens and _sum/_count is seconds per output token.',
  ),
  queueTime: histogram('sglang:queue_time_seconds', 'request', sglangBuckets.queueTime),
  pendingRequests: { name: 'sglang:num_queue_reqs' },
  runningRequests: { name: 'sglang:num_running_reqs' },
  kvCacheUsage: { name: 'sglang:token_usage' },
  tokens: { prompt: { name: 'sglang:prompt_tokens_total' }, generation: { name: 'sglang:generation_tokens_total' } },
  preemptions: { metric: { name: 'sglang:num_retracted_requests_total' }, kind: 'counter' },
  // sglang:cache_hit_rate is reset by every decode log; the counters give the exact ratio.
  prefixCache: { hits: { name: 'sglang:cached_tokens_total' }, queries: { name: 'sglang:prompt_tokens_total' } },
};
