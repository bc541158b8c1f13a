import type { MetricRef, MetricsProfile, Timing } from './profile.js';
import { checkOptions } from './options.js';

/** Metric names of the custom dynamic batcher; each may be renamed. */
export interface BatcherMetricNames {
  /** Counter with a status label. Default `batcher_requests_total`. */
  readonly requests: string;
  /** Histogram, seconds. Default `batcher_request_latency_seconds`. */
  readonly requestLatency: string;
  /** Histogram of requests per batch. Default `batcher_batch_size`. */
  readonly batchSize: string;
  /** Histogram, seconds a request waits for its batch. Default `batcher_batch_wait_time_seconds`. */
  readonly batchWaitTime: string;
  /** Histogram, seconds one batch spends in the model. Default `batcher_inference_time_seconds`. */
  readonly inferenceTime: string;
  /** Gauge. Default `batcher_queue_size`. */
  readonly queueSize: string;
  /** Gauge. Default `batcher_inflight_batches`. */
  readonly inflightBatches: string;
}

/** Options of {@link createBatcherProfile}. */
export interface BatcherProfileOptions {
  /** Metric names; unset ones keep their defaults. */
  readonly names?: Partial<BatcherMetricNames>;
  /** The label that tells outcomes apart. Default `status`. */
  readonly statusLabel?: string;
  /** Values of that label. Default `success` and `error`. */
  readonly statusValues?: { readonly success: string; readonly failure: string };
  /** Label naming the model, if the service adds one. Default: none. */
  readonly modelLabel?: string;
}

export const defaultBatcherMetricNames: BatcherMetricNames = {
  requests: 'batcher_requests_total',
  requestLatency: 'batcher_request_latency_seconds',
  batchSize: 'batcher_batch_size',
  batchWaitTime: 'batcher_batch_wait_time_seconds',
  inferenceTime: 'batcher_inference_time_seconds',
  queueSize: 'batcher_queue_size',
  inflightBatches: 'batcher_inflight_batches',
};

/** A Prometheus-client histogram as a {@link Timing}: mean from `_sum`/`_count`, quantiles from `_bucket`. */
function histogramTiming(name: string, per: Timing['per']): Timing {
  return {
    unit: 'seconds',
    total: { name: `${name}_sum` },
    count: { name: `${name}_count` },
    quantiles: { kind: 'histogram', name },
    per,
  };
}

/**
 * Builds the profile of the custom inference API with a dynamic batcher (Prometheus client
 * histograms and gauges, `batcher_*` by default). It has no GPU metrics.
 */
export function createBatcherProfile(options: BatcherProfileOptions = {}): MetricsProfile {
  checkOptions('createBatcherProfile', options);
  const names = { ...defaultBatcherMetricNames, ...options.names };
  const statusLabel = options.statusLabel ?? 'status';
  const status = options.statusValues ?? { success: 'success', failure: 'error' };
  const requests = (value: string): MetricRef => ({ name: names.requests, matchers: { [statusLabel]: value } });
  return {
    id: 'batcher',
    displayName: 'Dynamic batcher',
    defaultJob: 'inference-api',
    alertPrefix: 'Batcher',
    labels: { job: 'job', instance: 'instance', ...(options.modelLabel ? { model: options.modelLabel } : {}) },
    // The unlabelled queue gauge exists from start-up; the request counter only after a first request.
    discoveryMetric: options.modelLabel ? names.requests : names.queueSize,
    scrape: { port: 8001 },
    requests: { success: requests(status.success), failure: requests(status.failure) },
    // A batch-size histogram observes one value per batch: _sum counts requests, _count batches.
    batching: {
      requests: { name: `${names.batchSize}_sum` },
      executions: { name: `${names.batchSize}_count` },
      sizeHistogram: names.batchSize,
    },
    latency: histogramTiming(names.requestLatency, 'request'),
    queueTime: histogramTiming(names.batchWaitTime, 'request'),
    computeTime: { infer: histogramTiming(names.inferenceTime, 'batch') },
    pendingRequests: { name: names.queueSize },
    inflightBatches: { name: names.inflightBatches },
  };
}

/** The dynamic batcher profile with the metric names of its guide. */
export const batcherMetrics: MetricsProfile = createBatcherProfile();
