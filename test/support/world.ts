/**
 * Worlds of series with known, constant rates, sampled at any scrape interval, for the
 * condition matrix: what each server exports, written as the engine stores it after a scrape.
 * Every counter starts at 0 at t = 0 and grows linearly, so every number a panel should show is
 * a sum or ratio of the rates below; an optional restart resets one instance's counters.
 */
import type { Engine } from './engines.js';
import { counter, gauge, selectorText, type InputSeries } from './promtool.js';

/** How long every world runs: the panels are read at its end. */
export const worldSeconds = 7200;

/** A restart of one instance: its counters reset at `at` (seconds), and the scrape there fails. */
export interface Restart {
  readonly instance: string;
  readonly at: number;
}

/** A series written with per-second `rate` (counter) or a constant `value` (gauge, summary quantile). */
export interface WorldSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rate?: number;
  readonly value?: number;
}

/** One scrape: its time in seconds and value; `undefined` where the scrape failed. */
export interface Point {
  readonly t: number;
  readonly v: number | undefined;
}

/** The samples of `series` every `scrapeSeconds`, from 0 to `seconds` (default {@link worldSeconds}), with `restart` applied. */
export function pointsOf(series: WorldSeries, scrapeSeconds: number, restart?: Restart, seconds = worldSeconds): Point[] {
  const points: Point[] = [];
  const restarted = restart !== undefined && series.labels.instance === restart.instance;
  for (let t = 0; t <= seconds; t += scrapeSeconds) {
    if (restarted && t === restart.at) points.push({ t, v: undefined });
    else if (series.rate === undefined) points.push({ t, v: series.value });
    else points.push({ t, v: series.rate * (restarted && t > restart.at ? t - restart.at : t) });
  }
  return points;
}

/** `series` as promtool input: `_` for the failed scrape. */
export function sampled(series: WorldSeries, scrapeSeconds: number, restart?: Restart, seconds = worldSeconds): InputSeries {
  const values = pointsOf(series, scrapeSeconds, restart, seconds).map(({ v }) =>
    v === undefined ? '_' : Number.isNaN(v) ? 'NaN' : String(v),
  );
  return { series: selectorText(series.name, series.labels as Record<string, string>), values: values.join(' ') };
}

/** `series` as promtool input sampled every 15 s, `steps` samples after the first (default 40: 10 minutes). */
export function asInput(series: WorldSeries, steps?: number): InputSeries {
  const labels = series.labels as Record<string, string>;
  return series.rate === undefined
    ? gauge(series.name, labels, series.value ?? 0, steps)
    : counter(series.name, labels, series.rate, steps);
}

const GiB = 1024 ** 3;

/** One Triton model on one instance, by rate per second. */
export interface TritonModel {
  readonly instance: string;
  readonly model: string;
  /** Its counters are split by these GPUs (the load is shared equally); model-level otherwise. */
  readonly gpus?: readonly string[];
  readonly requests: number;
  /** Items per request: inferences = requests x items. */
  readonly items: number;
  readonly executions: number;
  /** Failures per second, or `undefined` when the failure series never existed. */
  readonly failures?: number;
  /** The failure series' `reason`; `null` for Triton before 24.x, which has none. */
  readonly reason?: string | null;
  /** Microseconds per request, by duration counter. */
  readonly micros: {
    readonly request: number;
    readonly queue: number;
    readonly input: number;
    readonly infer: number;
    readonly output: number;
  };
  /** Summary quantiles in microseconds (`NaN` when idle). */
  readonly summary: Readonly<Record<'0.5' | '0.9' | '0.95' | '0.99' | '0.999', number>>;
  readonly pending: number;
}

export interface TritonGpu {
  readonly instance: string;
  readonly uuid: string;
  readonly utilization: number;
  readonly usedGiB: number;
  readonly totalGiB: number;
}

const micros = (request: number, queue: number, input: number, infer: number, output: number) => ({
  request,
  queue,
  input,
  infer,
  output,
});
const summary = (p50: number, p95: number, p99: number) => ({ '0.5': p50, '0.9': p95, '0.95': p95, '0.99': p99, '0.999': p99 });

/**
 * The Triton fleet: t1 serves resnet50 split by two GPUs (its counters per gpu_uuid) and an
 * idle model; t2 serves resnet50 at model level, distilbert (whose failure counter never
 * existed), and two models named to catch Grafana substitution (`cost$model`, `costly`), one of
 * them failing without a `reason` label. Clients send resnet50 two items per request.
 */
export const tritonModels: readonly TritonModel[] = [
  {
    instance: 't1',
    model: 'resnet50',
    gpus: ['GPU-A', 'GPU-B'],
    requests: 24,
    items: 2,
    executions: 6,
    failures: 1,
    reason: 'REJECTED',
    micros: micros(15000, 5000, 500, 8000, 250),
    summary: summary(9000, 20000, 30000),
    pending: 3,
  },
  {
    instance: 't1',
    model: 'idle',
    requests: 0,
    items: 1,
    executions: 0,
    reason: 'OTHER',
    micros: micros(0, 0, 0, 0, 0),
    summary: summary(NaN, NaN, NaN),
    pending: 0,
  },
  {
    instance: 't2',
    model: 'resnet50',
    requests: 16,
    items: 2,
    executions: 4,
    failures: 0.5,
    reason: 'BACKEND',
    micros: micros(15000, 5000, 500, 8000, 250),
    summary: summary(8000, 16000, 25000),
    pending: 2,
  },
  {
    instance: 't2',
    model: 'distilbert',
    requests: 10,
    items: 1,
    executions: 10,
    reason: 'BACKEND',
    micros: micros(12000, 1000, 200, 10000, 100),
    summary: summary(11000, 14000, 16000),
    pending: 0,
  },
  {
    instance: 't2',
    model: 'cost$model',
    requests: 2,
    items: 1,
    executions: 2,
    failures: 0.5,
    reason: null,
    micros: micros(6000, 500, 100, 5000, 50),
    summary: summary(5000, 6000, 7000),
    pending: 1,
  },
  {
    instance: 't2',
    model: 'costly',
    requests: 4,
    items: 1,
    executions: 4,
    reason: 'BACKEND',
    micros: micros(6000, 500, 100, 5000, 50),
    summary: summary(5000, 6000, 7000),
    pending: 0,
  },
];

export const tritonGpus: readonly TritonGpu[] = [
  { instance: 't1', uuid: 'GPU-A', utilization: 0.875, usedGiB: 40, totalGiB: 80 },
  { instance: 't1', uuid: 'GPU-B', utilization: 0.625, usedGiB: 20, totalGiB: 80 },
  { instance: 't2', uuid: 'GPU-C', utilization: 0.75, usedGiB: 60, totalGiB: 80 },
];

const durationCounters = {
  request: 'nv_inference_request_duration_us',
  queue: 'nv_inference_queue_duration_us',
  input: 'nv_inference_compute_input_duration_us',
  infer: 'nv_inference_compute_infer_duration_us',
  output: 'nv_inference_compute_output_duration_us',
} as const;

/** Every series the Triton fleet exports. */
export function tritonWorld(): WorldSeries[] {
  const series: WorldSeries[] = [];
  for (const model of tritonModels) {
    const base = { job: 'triton', instance: model.instance, model: model.model, version: '1' };
    const splits = model.gpus ?? [undefined];
    for (const gpu of splits) {
      const labels = gpu ? { ...base, gpu_uuid: gpu } : base;
      const share = 1 / splits.length;
      series.push(
        { name: 'nv_inference_request_success', labels, rate: model.requests * share },
        { name: 'nv_inference_count', labels, rate: model.requests * model.items * share },
        { name: 'nv_inference_exec_count', labels, rate: model.executions * share },
        ...Object.entries(durationCounters).map(([stage, name]) => ({
          name,
          labels,
          rate: model.requests * share * model.micros[stage as keyof typeof durationCounters],
        })),
      );
    }
    if (model.failures !== undefined) {
      series.push({
        name: 'nv_inference_request_failure',
        labels: model.reason === null ? base : { ...base, reason: model.reason ?? 'OTHER' },
        rate: model.failures,
      });
    }
    for (const [quantile, value] of Object.entries(model.summary)) {
      series.push({ name: 'nv_inference_request_summary_us', labels: { ...base, quantile }, value });
    }
    series.push({ name: 'nv_inference_pending_request_count', labels: base, value: model.pending });
  }
  for (const gpu of tritonGpus) {
    const labels = { job: 'triton', instance: gpu.instance, gpu_uuid: gpu.uuid };
    series.push(
      { name: 'nv_gpu_utilization', labels, value: gpu.utilization },
      { name: 'nv_gpu_memory_used_bytes', labels, value: gpu.usedGiB * GiB },
      { name: 'nv_gpu_memory_total_bytes', labels, value: gpu.totalGiB * GiB },
      { name: 'nv_gpu_power_usage', labels, value: 300 },
      { name: 'nv_gpu_power_limit', labels, value: 700 },
    );
  }
  for (const instance of ['t1', 't2']) series.push({ name: 'up', labels: { job: 'triton', instance }, value: 1 });
  return series;
}

/** One batcher instance: rates per second. */
export interface BatcherInstance {
  readonly instance: string;
  /** Successful and failed requests per second; `undefined`: that series never existed. */
  readonly success?: number;
  readonly error?: number;
  /** Cumulative latency bucket rates by bound (`+Inf` last), and the latency sum per second. */
  readonly latency: Readonly<Record<string, number>>;
  readonly latencySum: number;
  /** Requests batched per second (`_sum`) and batches per second (`_count`); bucket rates by bound. */
  readonly batchSizes: Readonly<Record<string, number>>;
  readonly batchedRequests: number;
  /** Seconds waited per second (sum) over the requests batched; seconds of inference per second over the batches. */
  readonly waitSum: number;
  readonly inferenceSum: number;
  /** Cumulative inference time bucket rates by bound (`+Inf` last: the batches per second). */
  readonly inference: Readonly<Record<string, number>>;
  readonly queue: number;
  readonly inflight: number;
}

/**
 * The batcher fleet: api-1 succeeds and fails, api-2 has never failed (no error series),
 * api-3 has failed every request since start-up (no success series: a total outage), api-4 is
 * idle (its histograms exist at 0, its request counter has no series at all).
 */
export const batcherInstances: readonly BatcherInstance[] = [
  {
    instance: 'api-1',
    success: 12,
    error: 1,
    latency: { '0.005': 6, '0.01': 11, '0.03': 13, '+Inf': 13 },
    latencySum: 0.125,
    batchSizes: { '1': 0, '2': 0, '4': 0.5, '8': 2.5, '16': 2.5, '+Inf': 2.5 },
    batchedRequests: 13,
    waitSum: 0.0390625,
    inferenceSum: 0.0625,
    inference: { '0.01': 1, '0.03': 2, '0.1': 2.5, '+Inf': 2.5 },
    queue: 3,
    inflight: 2,
  },
  {
    instance: 'api-2',
    success: 7,
    latency: { '0.005': 4, '0.01': 7, '0.03': 7, '+Inf': 7 },
    latencySum: 0.125,
    batchSizes: { '1': 0, '2': 0, '4': 0, '8': 1.5, '16': 1.5, '+Inf': 1.5 },
    batchedRequests: 7,
    waitSum: 0.0390625,
    inferenceSum: 0.0625,
    inference: { '0.01': 0.5, '0.03': 1.5, '0.1': 1.5, '+Inf': 1.5 },
    queue: 4,
    inflight: 1,
  },
  {
    instance: 'api-3',
    error: 3,
    latency: { '0.005': 3, '0.01': 3, '0.03': 3, '+Inf': 3 },
    latencySum: 0.0078125,
    batchSizes: { '1': 0, '2': 0, '4': 1, '8': 1, '16': 1, '+Inf': 1 },
    batchedRequests: 3,
    waitSum: 0.0078125,
    inferenceSum: 0.015625,
    inference: { '0.01': 0, '0.03': 1, '0.1': 1, '+Inf': 1 },
    queue: 0,
    inflight: 0,
  },
  {
    instance: 'api-4',
    latency: { '0.005': 0, '0.01': 0, '0.03': 0, '+Inf': 0 },
    latencySum: 0,
    batchSizes: { '1': 0, '2': 0, '4': 0, '8': 0, '16': 0, '+Inf': 0 },
    batchedRequests: 0,
    waitSum: 0,
    inferenceSum: 0,
    inference: { '0.01': 0, '0.03': 0, '0.1': 0, '+Inf': 0 },
    queue: 0,
    inflight: 0,
  },
];

/** Batches per second of an instance: its histogram's `+Inf` bucket. */
export const batchesOf = (instance: BatcherInstance): number => instance.batchSizes['+Inf'] ?? 0;
/** Requests observed per second by an instance's latency histogram. */
export const observedOf = (instance: BatcherInstance): number => instance.latency['+Inf'] ?? 0;

/** Every series the batcher fleet exports, bucket bounds as `engine` stores them. */
export function batcherWorld(engine: Engine, job = 'batcher'): WorldSeries[] {
  const series: WorldSeries[] = [];
  const histogram = (name: string, labels: Record<string, string>, buckets: Readonly<Record<string, number>>, sum: number) => {
    for (const [le, rate] of Object.entries(buckets))
      series.push({ name: `${name}_bucket`, labels: { ...labels, le: engine.bound(le) }, rate });
    series.push({ name: `${name}_count`, labels, rate: buckets['+Inf'] ?? 0 }, { name: `${name}_sum`, labels, rate: sum });
  };
  for (const api of batcherInstances) {
    const labels = { job, instance: api.instance };
    if (api.success !== undefined)
      series.push({ name: 'batcher_requests_total', labels: { ...labels, status: 'success' }, rate: api.success });
    if (api.error !== undefined)
      series.push({ name: 'batcher_requests_total', labels: { ...labels, status: 'error' }, rate: api.error });
    histogram('batcher_request_latency_seconds', labels, api.latency, api.latencySum);
    histogram('batcher_batch_size', labels, api.batchSizes, api.batchedRequests);
    histogram('batcher_batch_wait_time_seconds', labels, { '+Inf': api.batchedRequests }, api.waitSum);
    histogram('batcher_inference_time_seconds', labels, api.inference, api.inferenceSum);
    series.push(
      { name: 'batcher_queue_size', labels, value: api.queue },
      { name: 'batcher_inflight_batches', labels, value: api.inflight },
      { name: 'up', labels, value: 1 },
    );
  }
  return series;
}
