/**
 * Known series for the evaluation tests. Every rate is chosen so the panels read round numbers.
 *
 * Triton, job "triton":
 *   triton-1: resnet50 split by gpu_uuid (GPU-A, GPU-B: 15 req/s each, 2.5 executions/s each),
 *             failures model-level (reason REJECTED 1/s); P50/P95/P99 9/20/30 ms.
 *   triton-2: resnet50 model-level (18 req/s, 3 executions/s, reason BACKEND 1/s; P50/P95/P99 8/16/25 ms)
 *             and distilbert (10 req/s, no batching, failure series at 0; 11/14/16 ms).
 *   Per request: resnet50 15 ms total, 5 ms queue, 0.5 / 8 / 0.25 ms compute; distilbert 12, 1, 0.2 / 10 / 0.1 ms.
 *   GPUs: A 87.5 % busy, 40 of 80 GiB; B 62.5 %, 20 GiB; C (triton-2) 75 %, 60 GiB.
 *
 * Batcher, job "batcher": api-1 12 ok + 1 error req/s, api-2 7 ok req/s (no error series at all);
 *   latency buckets (sum) le 0.005: 10, 0.01: 18, 0.03: 20 req/s, mean 12.5 ms;
 *   batches 4/s of 20 requests; wait 3.90625 ms per request; inference 31.25 ms per batch;
 *   queue 3 + 4, inflight 2 and 1.
 */
import type { Engine } from './engines.js';
import { counter, gauge, type InputSeries } from './promtool.js';

const GiB = 1024 ** 3;

function perRequest(
  instance: string,
  model: string,
  gpu: string | undefined,
  requestsPerSecond: number,
  microseconds: Record<string, number>,
): InputSeries[] {
  const labels = { job: 'triton', instance, model, version: '1', ...(gpu ? { gpu_uuid: gpu } : {}) };
  return [
    counter('nv_inference_request_success', labels, requestsPerSecond),
    counter('nv_inference_count', labels, requestsPerSecond),
    ...Object.entries(microseconds).map(([metric, each]) => counter(metric, labels, requestsPerSecond * each)),
  ];
}

function resnetTimes() {
  return {
    nv_inference_request_duration_us: 15000,
    nv_inference_queue_duration_us: 5000,
    nv_inference_compute_input_duration_us: 500,
    nv_inference_compute_infer_duration_us: 8000,
    nv_inference_compute_output_duration_us: 250,
  };
}

function summary(instance: string, model: string, quantiles: Record<string, number>): InputSeries[] {
  return Object.entries(quantiles).map(([quantile, value]) =>
    gauge('nv_inference_request_summary_us', { job: 'triton', instance, model, version: '1', quantile }, value),
  );
}

function gpu(instance: string, uuid: string, utilization: number, usedGiB: number): InputSeries[] {
  const labels = { job: 'triton', instance, gpu_uuid: uuid };
  return [
    gauge('nv_gpu_utilization', labels, utilization),
    gauge('nv_gpu_memory_used_bytes', labels, usedGiB * GiB),
    gauge('nv_gpu_memory_total_bytes', labels, 80 * GiB),
    gauge('nv_gpu_power_usage', labels, 400),
    gauge('nv_gpu_power_limit', labels, 700),
  ];
}

const t1 = 'triton-1:8002';
const t2 = 'triton-2:8002';

export const tritonSeries: InputSeries[] = [
  // triton-1: resnet50 loaded after start-up, so its counters are split by GPU.
  ...perRequest(t1, 'resnet50', 'GPU-A', 15, resnetTimes()),
  ...perRequest(t1, 'resnet50', 'GPU-B', 15, resnetTimes()),
  counter('nv_inference_exec_count', { job: 'triton', instance: t1, model: 'resnet50', version: '1', gpu_uuid: 'GPU-A' }, 2.5),
  counter('nv_inference_exec_count', { job: 'triton', instance: t1, model: 'resnet50', version: '1', gpu_uuid: 'GPU-B' }, 2.5),
  counter(
    'nv_inference_request_failure',
    { job: 'triton', instance: t1, model: 'resnet50', version: '1', reason: 'REJECTED' },
    1,
  ),
  counter('nv_inference_request_failure', { job: 'triton', instance: t1, model: 'resnet50', version: '1', reason: 'BACKEND' }, 0),
  ...summary(t1, 'resnet50', { '0.5': 9000, '0.95': 20000, '0.99': 30000 }),
  gauge('nv_inference_pending_request_count', { job: 'triton', instance: t1, model: 'resnet50', version: '1' }, 3),
  // triton-2: resnet50 and distilbert at model level.
  ...perRequest(t2, 'resnet50', undefined, 18, resnetTimes()),
  counter('nv_inference_exec_count', { job: 'triton', instance: t2, model: 'resnet50', version: '1' }, 3),
  counter('nv_inference_request_failure', { job: 'triton', instance: t2, model: 'resnet50', version: '1', reason: 'BACKEND' }, 1),
  ...summary(t2, 'resnet50', { '0.5': 8000, '0.95': 16000, '0.99': 25000 }),
  gauge('nv_inference_pending_request_count', { job: 'triton', instance: t2, model: 'resnet50', version: '1' }, 2),
  ...perRequest(t2, 'distilbert', undefined, 10, {
    nv_inference_request_duration_us: 12000,
    nv_inference_queue_duration_us: 1000,
    nv_inference_compute_input_duration_us: 200,
    nv_inference_compute_infer_duration_us: 10000,
    nv_inference_compute_output_duration_us: 100,
  }),
  counter('nv_inference_exec_count', { job: 'triton', instance: t2, model: 'distilbert', version: '1' }, 10),
  counter('nv_inference_request_failure', { job: 'triton', instance: t2, model: 'distilbert', version: '1', reason: 'OTHER' }, 0),
  ...summary(t2, 'distilbert', { '0.5': 11000, '0.95': 14000, '0.99': 16000 }),
  gauge('nv_inference_pending_request_count', { job: 'triton', instance: t2, model: 'distilbert', version: '1' }, 0),
  ...gpu(t1, 'GPU-A', 0.875, 40),
  ...gpu(t1, 'GPU-B', 0.625, 20),
  ...gpu(t2, 'GPU-C', 0.75, 60),
];

function histogram(
  engine: Engine,
  name: string,
  instance: string,
  perSecond: Record<string, number>,
  sumPerSecond: number,
): InputSeries[] {
  const labels = { job: 'batcher', instance };
  const count = perSecond['+Inf'] ?? 0;
  return [
    ...Object.entries(perSecond).map(([le, rate]) => counter(`${name}_bucket`, { ...labels, le: engine.bound(le) }, rate)),
    counter(`${name}_count`, labels, count),
    counter(`${name}_sum`, labels, sumPerSecond),
  ];
}

/** The batcher's series as `engine` stores them after a scrape (bucket bounds normalized on Prometheus 3). */
export const batcherSeries = (engine: Engine): InputSeries[] => [
  counter('batcher_requests_total', { job: 'batcher', instance: 'api-1', status: 'success' }, 12),
  counter('batcher_requests_total', { job: 'batcher', instance: 'api-1', status: 'error' }, 1),
  counter('batcher_requests_total', { job: 'batcher', instance: 'api-2', status: 'success' }, 7),
  ...histogram(engine, 'batcher_request_latency_seconds', 'api-1', { '0.005': 6, '0.01': 11, '0.03': 13, '+Inf': 13 }, 0.125),
  ...histogram(engine, 'batcher_request_latency_seconds', 'api-2', { '0.005': 4, '0.01': 7, '0.03': 7, '+Inf': 7 }, 0.125),
  ...histogram(engine, 'batcher_batch_size', 'api-1', { '1': 0, '2': 0, '4': 0.5, '8': 2.5, '16': 2.5, '+Inf': 2.5 }, 12),
  ...histogram(engine, 'batcher_batch_size', 'api-2', { '1': 0, '2': 0, '4': 0, '8': 1.5, '16': 1.5, '+Inf': 1.5 }, 8),
  ...histogram(engine, 'batcher_batch_wait_time_seconds', 'api-1', { '+Inf': 13 }, 0.0390625),
  ...histogram(engine, 'batcher_batch_wait_time_seconds', 'api-2', { '+Inf': 7 }, 0.0390625),
  ...histogram(engine, 'batcher_inference_time_seconds', 'api-1', { '0.01': 1, '0.03': 2, '0.1': 2.5, '+Inf': 2.5 }, 0.0625),
  ...histogram(engine, 'batcher_inference_time_seconds', 'api-2', { '0.01': 0.5, '0.03': 1.5, '0.1': 1.5, '+Inf': 1.5 }, 0.0625),
  gauge('batcher_queue_size', { job: 'batcher', instance: 'api-1' }, 3),
  gauge('batcher_queue_size', { job: 'batcher', instance: 'api-2' }, 4),
  gauge('batcher_inflight_batches', { job: 'batcher', instance: 'api-1' }, 2),
  gauge('batcher_inflight_batches', { job: 'batcher', instance: 'api-2' }, 1),
];
