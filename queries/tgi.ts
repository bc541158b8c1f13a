/**
 * Hugging Face Text Generation Inference (v3.3): the router's `tgi_` families
 * (`router/src/server.rs`), rendered by metrics-exporter-prometheus: counters without `_total`,
 * no model label (one model per server), and no time-to-first-token metric.
 */
import type { MetricFamilies, MetricRef, MetricsProfile, Timing } from './profile.js';

/**
 * TGI's duration buckets: 0.0001 s x 1.5^k for k = 1..35, multiplied one step at a time as the
 * exporter does, so each bound is the float it prints (`0.00015000000000000001`).
 */
export const tgiDurationBuckets: readonly number[] = Array.from({ length: 35 }).reduce<number[]>(
  (bounds) => [...bounds, (bounds.at(-1) ?? 0.0001) * 1.5],
  [],
);

/** The families a TGI router exports. */
export const tgiMetricFamilies: MetricFamilies = {
  prefixes: ['tgi_'],
  counter: [
    'tgi_request_count',
    'tgi_request_success',
    'tgi_request_failure',
    'tgi_batch_inference_count',
    'tgi_batch_inference_success',
    'tgi_batch_inference_failure',
    'tgi_batch_concat',
  ],
  gauge: ['tgi_queue_size', 'tgi_batch_current_size', 'tgi_batch_current_max_tokens'],
  histogram: [
    'tgi_request_duration',
    'tgi_request_validation_duration',
    'tgi_request_queue_duration',
    'tgi_request_inference_duration',
    'tgi_request_mean_time_per_token_duration',
    'tgi_request_input_length',
    'tgi_request_generated_tokens',
    'tgi_request_max_new_tokens',
    'tgi_batch_next_size',
    'tgi_batch_forward_duration',
    'tgi_batch_decode_duration',
    'tgi_batch_filter_duration',
    'tgi_batch_inference_duration',
    'tgi_batch_concat_duration',
  ],
  summary: ['tgi_request_skipped_tokens'],
};

/** A TGI duration histogram (seconds) as a {@link Timing}; `matchers` select one `method`. */
function histogram(name: string, per: Timing['per'], matchers?: MetricRef['matchers'], note?: string): Timing {
  const narrowed = matchers ? { matchers } : {};
  return {
    unit: 'seconds',
    total: { name: `${name}_sum`, ...narrowed },
    count: { name: `${name}_count`, ...narrowed },
    quantiles: { kind: 'histogram', name, buckets: tgiDurationBuckets, ...narrowed },
    per,
    ...(note ? { note } : {}),
  };
}

const prefillStep = histogram('tgi_batch_inference_duration', 'batch', { method: 'prefill' });

/** The TGI profile: `text-generation-launcher`, metrics on the router's port. */
export const tgiMetrics: MetricsProfile = {
  id: 'tgi',
  displayName: 'Hugging Face TGI',
  defaultJob: 'tgi',
  alertPrefix: 'Tgi',
  labels: { job: 'job', instance: 'instance' },
  discoveryMetric: 'tgi_queue_size',
  scrape: { port: 80 },
  families: tgiMetricFamilies,
  requests: {
    success: { name: 'tgi_request_success' },
    failure: { name: 'tgi_request_failure' },
    failureMeaning: 'failed, by err: validation, overloaded, template, incomplete (the client went away), dropped or generation',
  },
  latency: histogram('tgi_request_duration', 'request', undefined, 'TGI times successful requests only.'),
  firstResponse: {
    approximation: 'validation + queue time + one prefill step (means)',
    parts: [
      histogram('tgi_request_validation_duration', 'request'),
      histogram('tgi_request_queue_duration', 'request'),
      prefillStep,
    ],
  },
  interToken: histogram(
    'tgi_request_mean_time_per_token_duration',
    'request',
    undefined,
    "TGI records each request's inference time / generated tokens: the prefill is included, so it reads above a pure inter-token latency, most for short outputs.",
  ),
  queueTime: histogram('tgi_request_queue_duration', 'request'),
  prefill: prefillStep,
  decode: histogram('tgi_batch_inference_duration', 'batch', { method: 'decode' }),
  computeTime: { infer: histogram('tgi_request_inference_duration', 'request') },
  pendingRequests: { name: 'tgi_queue_size' },
  runningRequests: { name: 'tgi_batch_current_size' },
  tokens: { prompt: { name: 'tgi_request_input_length_sum' }, generation: { name: 'tgi_request_generated_tokens_sum' } },
};
