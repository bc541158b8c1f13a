import type { GpuMetrics, MetricFamilies, MetricsProfile, Timing } from './profile.js';
import { checkOptions } from './options.js';

/**
 * The metric families recent Triton servers export, by type: what `/metrics` lists with GPU,
 * CPU, summary and response-cache metrics on, and the 26.01+ first-response histogram.
 * Lint rules use it to catch names Triton never exports (`..._total`, `..._us_bucket`).
 */
export const tritonMetricFamilies = {
  prefixes: ['nv_'],
  counter: [
    'nv_inference_request_success',
    'nv_inference_request_failure',
    'nv_inference_count',
    'nv_inference_exec_count',
    'nv_inference_request_duration_us',
    'nv_inference_queue_duration_us',
    'nv_inference_compute_input_duration_us',
    'nv_inference_compute_infer_duration_us',
    'nv_inference_compute_output_duration_us',
    'nv_energy_consumption',
    'nv_cache_num_hits_per_model',
    'nv_cache_num_misses_per_model',
    'nv_cache_hit_duration_per_model',
    'nv_cache_miss_duration_per_model',
  ],
  gauge: [
    'nv_inference_pending_request_count',
    'nv_model_load_duration_secs',
    'nv_pinned_memory_pool_total_bytes',
    'nv_pinned_memory_pool_used_bytes',
    'nv_gpu_utilization',
    'nv_gpu_memory_total_bytes',
    'nv_gpu_memory_used_bytes',
    'nv_gpu_power_usage',
    'nv_gpu_power_limit',
    'nv_cpu_utilization',
    'nv_cpu_memory_total_bytes',
    'nv_cpu_memory_used_bytes',
  ],
  summary: [
    'nv_inference_request_summary_us',
    'nv_inference_queue_summary_us',
    'nv_inference_compute_input_summary_us',
    'nv_inference_compute_infer_summary_us',
    'nv_inference_compute_output_summary_us',
    'nv_cache_hit_summary_us_per_model',
    'nv_cache_miss_summary_us_per_model',
  ],
  histogram: ['nv_inference_first_response_histogram_ms'],
} as const satisfies MetricFamilies;

/** Options of {@link createTritonProfile}. */
export interface TritonProfileOptions {
  /**
   * Quantiles Triton's summaries export (`--metrics-config summary_quantiles=...`).
   * Default Triton's: 0.5, 0.9, 0.95, 0.99, 0.999.
   */
  readonly summaryQuantiles?: readonly number[];
  /**
   * Read time to first response from `nv_inference_first_response_histogram_ms`
   * (Triton 26.01+ with `--metrics-config histogram_latencies=true`; coarse default buckets).
   * Default `false`.
   */
  readonly firstResponseHistogram?: boolean;
}

const defaultSummaryQuantiles = [0.5, 0.9, 0.95, 0.99, 0.999] as const;

/** Triton's GPU gauges (`--allow-gpu-metrics`, on by default), one series per `gpu_uuid`. */
export const tritonGpuMetrics: GpuMetrics = {
  utilization: { name: 'nv_gpu_utilization' },
  memoryUsedBytes: { name: 'nv_gpu_memory_used_bytes' },
  memoryTotalBytes: { name: 'nv_gpu_memory_total_bytes' },
  powerWatts: { name: 'nv_gpu_power_usage' },
  powerLimitWatts: { name: 'nv_gpu_power_limit' },
};

/**
 * Builds the NVIDIA Triton profile. Triton's counters have no `_total` suffix, its durations
 * are cumulative microsecond counters paired with the success count, and its quantiles come
 * from per-process summaries (`--metrics-config summary_latencies=true`).
 */
export function createTritonProfile(options: TritonProfileOptions = {}): MetricsProfile {
  checkOptions('createTritonProfile', options);
  const quantiles = options.summaryQuantiles ?? defaultSummaryQuantiles;
  const success = { name: 'nv_inference_request_success' };
  const perRequest = (counter: string, summary: string): Timing => ({
    unit: 'microseconds',
    total: { name: counter },
    count: success,
    quantiles: { kind: 'summary', name: summary, quantiles },
    per: 'request',
  });
  return {
    id: 'triton',
    displayName: 'NVIDIA Triton',
    defaultJob: 'triton',
    alertPrefix: 'Triton',
    labels: { job: 'job', instance: 'instance', model: 'model', gpu: 'gpu_uuid' },
    discoveryMetric: 'nv_inference_request_success',
    scrape: { port: 8002 },
    // Triton's OpenTelemetry spans carry model_name, model_version and request_id.
    spanModelAttribute: 'span.model_name',
    families: tritonMetricFamilies,
    requests: { success, failure: { name: 'nv_inference_request_failure' } },
    batching: { requests: success, inferences: { name: 'nv_inference_count' }, executions: { name: 'nv_inference_exec_count' } },
    latency: perRequest('nv_inference_request_duration_us', 'nv_inference_request_summary_us'),
    ...(options.firstResponseHistogram
      ? {
          firstResponse: {
            unit: 'milliseconds',
            total: { name: 'nv_inference_first_response_histogram_ms_sum' },
            count: { name: 'nv_inference_first_response_histogram_ms_count' },
            quantiles: { kind: 'histogram', name: 'nv_inference_first_response_histogram_ms' },
            per: 'request',
          } satisfies Timing,
        }
      : {}),
    queueTime: perRequest('nv_inference_queue_duration_us', 'nv_inference_queue_summary_us'),
    computeTime: {
      input: perRequest('nv_inference_compute_input_duration_us', 'nv_inference_compute_input_summary_us'),
      infer: perRequest('nv_inference_compute_infer_duration_us', 'nv_inference_compute_infer_summary_us'),
      output: perRequest('nv_inference_compute_output_duration_us', 'nv_inference_compute_output_summary_us'),
    },
    pendingRequests: { name: 'nv_inference_pending_request_count' },
    gpu: tritonGpuMetrics,
  };
}

/** The NVIDIA Triton Inference Server profile with Triton's defaults: the default of every query. */
export const tritonMetrics: MetricsProfile = createTritonProfile();

/** Every series name Triton exports: the families plus their `_sum`, `_count` and `_bucket` series. */
export function tritonSeriesNames(): Set<string> {
  const { counter, gauge, summary, histogram } = tritonMetricFamilies;
  return new Set([
    ...counter,
    ...gauge,
    ...summary.flatMap((name) => [name, `${name}_sum`, `${name}_count`]),
    ...histogram.flatMap((name) => [`${name}_bucket`, `${name}_sum`, `${name}_count`]),
  ]);
}
