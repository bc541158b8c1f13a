/**
 * NVIDIA Triton with the TensorRT-LLM backend (`inflight_batcher_llm`): the backend's
 * `nv_trt_llm_*` gauge families, each keyed by a category label (`request_type`,
 * `kv_cache_block_type`, ...), and its token-length histograms, beside Triton's core
 * `nv_inference_*` counters. Requests are counted on the ensemble (a request is counted again in
 * each model it composes), the engine's state on the TensorRT-LLM model.
 */
import type { MetricFamilies, MetricRef, MetricsProfile, Timing } from './profile.js';
import { tritonGpuMetrics, tritonMetricFamilies } from './triton.js';
import { checkOptions } from './options.js';

/** The families Triton with the TensorRT-LLM backend exports: Triton's core ones and the backend's. */
export const tensorrtLlmMetricFamilies: MetricFamilies = {
  prefixes: ['nv_'],
  counter: [...tritonMetricFamilies.counter, 'nv_trt_llm_disaggregated_serving_metrics'],
  gauge: [
    ...tritonMetricFamilies.gauge,
    'nv_trt_llm_request_metrics',
    'nv_trt_llm_kv_cache_block_metrics',
    'nv_trt_llm_runtime_memory_metrics',
    'nv_trt_llm_inflight_batcher_metrics',
    'nv_trt_llm_v1_metrics',
    'nv_trt_llm_general_metrics',
  ],
  histogram: [...tritonMetricFamilies.histogram, 'nv_llm_input_token_len', 'nv_llm_output_token_len'],
  summary: [...tritonMetricFamilies.summary],
};

/** Options of {@link createTensorrtLlmProfile}. */
export interface TensorrtLlmProfileOptions {
  /** The ensemble model clients call: requests are counted there. Default `ensemble`. */
  readonly ensembleModel?: string;
  /** The TensorRT-LLM model of the ensemble: the engine's gauges and tokens. Default `tensorrt_llm`. */
  readonly llmModel?: string;
  /**
   * Read time to first response from `nv_inference_first_response_histogram_ms` of the ensemble
   * (Triton 26.01+ with `--metrics-config histogram_latencies=true`). Default `false`: Triton's
   * own metrics have no time to first token.
   */
  readonly firstResponseHistogram?: boolean;
}

/** Builds the profile of Triton with the TensorRT-LLM backend. */
export function createTensorrtLlmProfile(options: TensorrtLlmProfileOptions = {}): MetricsProfile {
  checkOptions('createTensorrtLlmProfile', options);
  const ensemble = options.ensembleModel ?? 'ensemble';
  const llm = options.llmModel ?? 'tensorrt_llm';
  const on =
    (model: string) =>
    (name: string, matchers: Readonly<Record<string, string>> = {}): MetricRef => ({
      name,
      matchers: { model, ...matchers },
    });
  const onEnsemble = on(ensemble);
  const onEngine = on(llm);
  // Triton's cumulative microsecond counters: a mean per request, no quantiles.
  const meanOf = (model: (name: string) => MetricRef, counter: string): Timing => ({
    unit: 'microseconds',
    total: model(counter),
    count: model('nv_inference_request_success'),
    per: 'request',
    note: 'Triton exports cumulative durations of this model, so only the mean is known.',
  });
  const engine = (family: string, label: string, value: string) => onEngine(family, { [label]: value });
  return {
    id: 'tensorrt-llm',
    displayName: 'Triton TensorRT-LLM',
    defaultJob: 'triton',
    alertPrefix: 'TensorrtLlm',
    labels: { job: 'job', instance: 'instance', gpu: 'gpu_uuid' },
    discoveryMetric: 'nv_trt_llm_request_metrics',
    scrape: { port: 8002 },
    spanModelAttribute: 'span.model_name',
    families: tensorrtLlmMetricFamilies,
    requests: {
      success: onEnsemble('nv_inference_request_success'),
      failure: onEnsemble('nv_inference_request_failure'),
      failureMeaning: `failed on the ${ensemble} model, by reason: REJECTED, CANCELED (a client that cancels a stream), BACKEND or OTHER`,
    },
    latency: meanOf(onEnsemble, 'nv_inference_request_duration_us'),
    ...(options.firstResponseHistogram
      ? {
          firstResponse: {
            unit: 'milliseconds',
            total: onEnsemble('nv_inference_first_response_histogram_ms_sum'),
            count: onEnsemble('nv_inference_first_response_histogram_ms_count'),
            quantiles: { kind: 'histogram', name: 'nv_inference_first_response_histogram_ms', matchers: { model: ensemble } },
            per: 'request',
          } satisfies Timing,
        }
      : {}),
    queueTime: meanOf(onEngine, 'nv_inference_queue_duration_us'),
    computeTime: { infer: meanOf(onEngine, 'nv_inference_compute_infer_duration_us') },
    pendingRequests: engine('nv_trt_llm_request_metrics', 'request_type', 'waiting'),
    runningRequests: engine('nv_trt_llm_request_metrics', 'request_type', 'scheduled'),
    kvCacheUsage: engine('nv_trt_llm_kv_cache_block_metrics', 'kv_cache_block_type', 'fraction'),
    tokens: {
      prompt: onEngine('nv_llm_input_token_len_sum'),
      generation: onEngine('nv_llm_output_token_len_sum'),
    },
    preemptions: {
      metric: engine('nv_trt_llm_inflight_batcher_metrics', 'inflight_batcher_specific_metric', 'paused_requests'),
      kind: 'gauge',
    },
    gpu: tritonGpuMetrics,
  };
}

/** Triton with the TensorRT-LLM backend, the `ensemble` / `tensorrt_llm` model repository of its examples. */
export const tensorrtLlmMetrics: MetricsProfile = createTensorrtLlmProfile();
