/**
 * The service's metrics, named and shaped as the dynamic batcher guide describes (`batcher_*`), on a registry of
 * its own so that two services in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';

/** The seven metrics the batcher dashboard and alerts read. */
export interface BatcherMetrics {
  readonly registry: Registry<OpenMetricsContentType>;
  readonly requests: Counter<'status'>;
  readonly requestLatency: Histogram;
  readonly batchSize: Histogram;
  readonly batchWaitTime: Histogram;
  readonly inferenceTime: Histogram;
  readonly queueSize: Gauge;
  readonly inflightBatches: Gauge;
}

/** Seconds buckets from 5 ms to 10 s: prom-client's defaults, which the latency panels interpolate in. */
const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the metrics; `maxBatchSize` sets the batch-size buckets (powers of two up to it). */
export function createMetrics(maxBatchSize: number): BatcherMetrics {
  // Exemplars exist only in the OpenMetrics format, which Prometheus asks for and parses.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const requests = new Counter({
    name: 'batcher_requests_total',
    help: 'Total number of prediction requests',
    labelNames: ['status'],
    registers: [registry],
  });
  // No outcome is created up front: each series appears with its first request, as with most
  // services, and the dashboards must read 0 (or 100 %) where one has never existed.
  const sizeBuckets: number[] = [];
  for (let size = 1; size < maxBatchSize; size *= 2) sizeBuckets.push(size);
  sizeBuckets.push(maxBatchSize);
  return {
    registry,
    requests,
    requestLatency: new Histogram({
      name: 'batcher_request_latency_seconds',
      help: 'End-to-end latency of a prediction request, queueing included',
      buckets: secondsBuckets,
      registers: [registry],
      // Each bucket keeps the trace id of its latest request: a latency panel's point opens that trace.
      enableExemplars: true,
    }),
    batchSize: new Histogram({
      name: 'batcher_batch_size',
      help: 'Distribution of batch sizes processed',
      buckets: sizeBuckets,
      registers: [registry],
    }),
    batchWaitTime: new Histogram({
      name: 'batcher_batch_wait_time_seconds',
      help: 'Time a request waits in the queue before its batch starts',
      buckets: secondsBuckets,
      registers: [registry],
    }),
    inferenceTime: new Histogram({
      name: 'batcher_inference_time_seconds',
      help: 'Time one batch spends in model.predict()',
      buckets: secondsBuckets,
      registers: [registry],
    }),
    queueSize: new Gauge({ name: 'batcher_queue_size', help: 'Requests waiting in the queue', registers: [registry] }),
    inflightBatches: new Gauge({
      name: 'batcher_inflight_batches',
      help: 'Batches being processed right now',
      registers: [registry],
    }),
  };
}
