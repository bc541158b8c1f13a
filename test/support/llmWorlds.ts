/**
 * Known series of the LLM servers and the DCGM exporter, with each server's real metric names,
 * labels, bucket bounds (as the server prints them) and label quirks, for the evaluation tests.
 * Every figure a panel shows follows from the rates defined here.
 *
 * vLLM, job "vllm" (every series labelled model_name and engine):
 *   llama on vllm-a (a Kubernetes pod, llm/vllm-llama-0) engine 0, and on host node-b (no pod)
 *   engines 0 and 1 (data parallel); qwen on an older vLLM (pod llm/vllm-qwen-0) exporting the
 *   names before 0.12 (`time_per_output_token_seconds`, `gpu_cache_usage_perc`, `gpu_prefix_cache_*`);
 *   mistral idle (every counter at 0, every histogram empty).
 * SGLang, job "sglang": scheduler series for tp_rank 0 and 1 (every rank reporting the same
 *   state), tokenizer series without ranks; the inter-token histogram counts tokens.
 * TGI, job "tgi": one router, no model label, failures by err.
 * Triton with TensorRT-LLM, job "triton": ensemble -> preprocessing -> tensorrt_llm -> postprocessing.
 * DCGM, job "dcgm": node-a (released exporter, `Hostname`): GPU-A0 held by pod llm/vllm-llama-0,
 *   GPU-A1 idle; node-b (newer exporter, `hostname`): GPU-B0 and two MIG instances of GPU-B1, no
 *   pod mapping; node-c (`Hostname`): GPU-C0 held by llm/vllm-qwen-0, GPU-C1 held by another pod.
 */
import { sglangBuckets, tgiDurationBuckets, vllmBuckets } from '../../queries/index.js';
import type { Engine } from './engines.js';
import { histogramSeries, observed, plainBound, pythonBound, type ObservedHistogram } from './histograms.js';
import type { WorldSeries } from './world.js';

const counter = (name: string, labels: Record<string, string>, rate: number): WorldSeries => ({ name, labels, rate });
const gauge = (name: string, labels: Record<string, string>, value: number): WorldSeries => ({ name, labels, value });

/** Finished requests per second by vLLM's finished_reason. */
export interface Finished {
  readonly stop: number;
  readonly length: number;
  readonly abort: number;
  readonly error: number;
}

/** One vLLM engine's metrics: per-second rates, gauges and distributions (observations per second per bucket). */
export interface VllmEngine {
  readonly instance: string;
  readonly model: string;
  readonly engine: string;
  /** Kubernetes labels of the scrape target, where it is a pod. */
  readonly pod?: { readonly namespace: string; readonly pod: string };
  /** Exports the names vLLM used before 0.12. */
  readonly older?: boolean;
  readonly finished: Finished;
  readonly promptTokens: number;
  readonly generationTokens: number;
  readonly timeToFirstToken: ObservedHistogram;
  readonly interToken: ObservedHistogram;
  readonly endToEnd: ObservedHistogram;
  readonly queue: ObservedHistogram;
  readonly prefill: ObservedHistogram;
  readonly decode: ObservedHistogram;
  readonly inference: ObservedHistogram;
  readonly running: number;
  readonly waiting: number;
  readonly kvCache: number;
  readonly preemptions: number;
  readonly prefixHits: number;
  readonly prefixQueries: number;
}

const ttft = (perBucket: Record<string, number>) => observed(vllmBuckets.timeToFirstToken, perBucket);
const itl = (perBucket: Record<string, number>) => observed(vllmBuckets.interToken, perBucket);
const phase = (perBucket: Record<string, number>) => observed(vllmBuckets.requestPhase, perBucket);

export const vllmEngines: readonly VllmEngine[] = [
  {
    instance: '10.0.0.5:8000',
    model: 'llama',
    engine: '0',
    pod: { namespace: 'llm', pod: 'vllm-llama-0' },
    finished: { stop: 6, length: 2, abort: 1, error: 1 },
    promptTokens: 5000,
    generationTokens: 2000,
    timeToFirstToken: { buckets: ttft({ 0.1: 4, 0.25: 4, 0.5: 2 }), sum: 2 },
    interToken: { buckets: itl({ 0.025: 1500, 0.05: 400, 0.1: 100 }), sum: 60 },
    endToEnd: { buckets: phase({ 5: 4, 10: 4, 20: 2 }), sum: 80 },
    queue: { buckets: phase({ 0.3: 9, 1: 1 }), sum: 1 },
    prefill: { buckets: phase({ 0.3: 10 }), sum: 1.5 },
    decode: { buckets: phase({ 5: 4, 10: 6 }), sum: 70 },
    inference: { buckets: phase({ 5: 4, 10: 6 }), sum: 71.5 },
    running: 40,
    waiting: 5,
    kvCache: 0.8,
    preemptions: 0.5,
    prefixHits: 2000,
    prefixQueries: 5000,
  },
  {
    instance: 'node-b:8000',
    model: 'llama',
    engine: '0',
    finished: { stop: 4, length: 1, abort: 0, error: 0 },
    promptTokens: 2500,
    generationTokens: 1000,
    timeToFirstToken: { buckets: ttft({ 0.1: 3, 0.25: 2 }), sum: 0.5 },
    interToken: { buckets: itl({ 0.025: 1000 }), sum: 20 },
    endToEnd: { buckets: phase({ 5: 3, 10: 2 }), sum: 30 },
    queue: { buckets: phase({ 0.3: 5 }), sum: 0.25 },
    prefill: { buckets: phase({ 0.3: 5 }), sum: 0.5 },
    decode: { buckets: phase({ 5: 5 }), sum: 20 },
    inference: { buckets: phase({ 5: 5 }), sum: 20.5 },
    running: 20,
    waiting: 0,
    kvCache: 0.5,
    preemptions: 0,
    prefixHits: 500,
    prefixQueries: 2500,
  },
  {
    instance: 'node-b:8000',
    model: 'llama',
    engine: '1',
    finished: { stop: 5, length: 0, abort: 0, error: 0 },
    promptTokens: 2500,
    generationTokens: 1000,
    timeToFirstToken: { buckets: ttft({ 0.1: 3, 0.25: 2 }), sum: 0.5 },
    interToken: { buckets: itl({ 0.025: 900, 0.05: 100 }), sum: 20 },
    endToEnd: { buckets: phase({ 5: 3, 10: 2 }), sum: 30 },
    queue: { buckets: phase({ 0.3: 5 }), sum: 0.25 },
    prefill: { buckets: phase({ 0.3: 5 }), sum: 0.5 },
    decode: { buckets: phase({ 5: 5 }), sum: 20 },
    inference: { buckets: phase({ 5: 5 }), sum: 20.5 },
    running: 30,
    waiting: 1,
    kvCache: 0.6,
    preemptions: 0,
    prefixHits: 500,
    prefixQueries: 2500,
  },
  {
    instance: '10.0.0.7:8000',
    model: 'qwen',
    engine: '0',
    pod: { namespace: 'llm', pod: 'vllm-qwen-0' },
    older: true,
    finished: { stop: 3, length: 0, abort: 1, error: 0 },
    promptTokens: 1000,
    generationTokens: 500,
    timeToFirstToken: { buckets: ttft({ 0.5: 2, 1: 1, 2.5: 1 }), sum: 3 },
    interToken: { buckets: itl({ 0.05: 400, 0.075: 100 }), sum: 22 },
    endToEnd: { buckets: phase({ 10: 2, 15: 2 }), sum: 48 },
    queue: { buckets: phase({ 0.3: 2, 0.5: 2 }), sum: 1 },
    prefill: { buckets: phase({ 0.3: 4 }), sum: 1 },
    decode: { buckets: phase({ 10: 4 }), sum: 36 },
    inference: { buckets: phase({ 10: 4 }), sum: 37 },
    running: 12,
    waiting: 8,
    kvCache: 0.95,
    preemptions: 0.25,
    prefixHits: 0,
    prefixQueries: 1000,
  },
  {
    instance: '10.0.0.9:8000',
    model: 'mistral',
    engine: '0',
    pod: { namespace: 'llm', pod: 'vllm-mistral-0' },
    finished: { stop: 0, length: 0, abort: 0, error: 0 },
    promptTokens: 0,
    generationTokens: 0,
    timeToFirstToken: { buckets: ttft({}), sum: 0 },
    interToken: { buckets: itl({}), sum: 0 },
    endToEnd: { buckets: phase({}), sum: 0 },
    queue: { buckets: phase({}), sum: 0 },
    prefill: { buckets: phase({}), sum: 0 },
    decode: { buckets: phase({}), sum: 0 },
    inference: { buckets: phase({}), sum: 0 },
    running: 0,
    waiting: 0,
    kvCache: 0,
    preemptions: 0,
    prefixHits: 0,
    prefixQueries: 0,
  },
];

/** Finished requests per second of an engine, every reason. */
export const finishedRate = ({ finished }: VllmEngine) => finished.stop + finished.length + finished.abort + finished.error;

/** One vLLM engine's series as `engine` stores them. */
export function vllmEngineSeries(engine: Engine, source: VllmEngine): WorldSeries[] {
  const labels = { job: 'vllm', instance: source.instance, model_name: source.model, engine: source.engine, ...source.pod };
  const histogram = (name: string, bounds: readonly number[], { buckets, sum }: ObservedHistogram) =>
    histogramSeries(engine, name, labels, bounds, pythonBound, buckets, sum);
  const older = source.older === true;
  const reasons = Object.entries(source.finished) as [keyof Finished, number][];
  return [
    gauge('up', { job: 'vllm', instance: source.instance, ...source.pod }, 1),
    ...reasons.map(([reason, rate]) => counter('vllm:request_success_total', { ...labels, finished_reason: reason }, rate)),
    counter('vllm:prompt_tokens_total', labels, source.promptTokens),
    counter('vllm:generation_tokens_total', labels, source.generationTokens),
    counter('vllm:num_preemptions_total', labels, source.preemptions),
    counter(older ? 'vllm:gpu_prefix_cache_hits_total' : 'vllm:prefix_cache_hits_total', labels, source.prefixHits),
    counter(older ? 'vllm:gpu_prefix_cache_queries_total' : 'vllm:prefix_cache_queries_total', labels, source.prefixQueries),
    gauge('vllm:num_requests_running', labels, source.running),
    gauge('vllm:num_requests_waiting', labels, source.waiting),
    gauge(older ? 'vllm:gpu_cache_usage_perc' : 'vllm:kv_cache_usage_perc', labels, source.kvCache),
    ...histogram('vllm:time_to_first_token_seconds', vllmBuckets.timeToFirstToken, source.timeToFirstToken),
    ...histogram(
      older ? 'vllm:time_per_output_token_seconds' : 'vllm:inter_token_latency_seconds',
      vllmBuckets.interToken,
      source.interToken,
    ),
    ...histogram('vllm:e2e_request_latency_seconds', vllmBuckets.requestPhase, source.endToEnd),
    ...histogram('vllm:request_queue_time_seconds', vllmBuckets.requestPhase, source.queue),
    ...histogram('vllm:request_prefill_time_seconds', vllmBuckets.requestPhase, source.prefill),
    ...histogram('vllm:request_decode_time_seconds', vllmBuckets.requestPhase, source.decode),
    ...histogram('vllm:request_inference_time_seconds', vllmBuckets.requestPhase, source.inference),
  ];
}

/** The vLLM world as `engine` stores it. */
export const vllmSeries = (engine: Engine): WorldSeries[] => vllmEngines.flatMap((source) => vllmEngineSeries(engine, source));

/** One SGLang server: tokenizer-side rates and distributions, scheduler-side gauges reported by two TP ranks. */
export interface SglangServer {
  readonly instance: string;
  readonly model: string;
  readonly requests: number;
  readonly aborted: number;
  readonly promptTokens: number;
  readonly generationTokens: number;
  readonly cachedTokens: number;
  readonly timeToFirstToken: ObservedHistogram;
  /** Observations are tokens: SGLang adds each chunk's tokens to its bucket. */
  readonly interToken: ObservedHistogram;
  readonly endToEnd: ObservedHistogram;
  readonly queue: ObservedHistogram;
  readonly running: number;
  readonly queued: number;
  readonly tokenUsage: number;
  readonly retractions: number;
}

export const sglangServers: readonly SglangServer[] = [
  {
    instance: 'sglang-1:30000',
    model: 'qwen',
    requests: 8,
    aborted: 1,
    promptTokens: 4000,
    generationTokens: 2000,
    cachedTokens: 1000,
    timeToFirstToken: { buckets: observed(sglangBuckets.timeToFirstToken, { 0.1: 4, 0.2: 3, 0.4: 1 }), sum: 1.2 },
    interToken: { buckets: observed(sglangBuckets.interToken, { 0.01: 1000, 0.015: 800, 0.02: 200 }), sum: 24 },
    endToEnd: { buckets: observed(sglangBuckets.endToEnd, { 4: 4, 6: 4 }), sum: 36 },
    queue: { buckets: observed(sglangBuckets.queueTime, { 0.1: 7, 0.2: 1 }), sum: 0.4 },
    running: 30,
    queued: 2,
    tokenUsage: 0.4,
    retractions: 0.1,
  },
  {
    instance: 'sglang-2:30000',
    model: 'qwen',
    requests: 2,
    aborted: 0,
    promptTokens: 1000,
    generationTokens: 500,
    cachedTokens: 0,
    timeToFirstToken: { buckets: observed(sglangBuckets.timeToFirstToken, { 0.1: 2 }), sum: 0.1 },
    interToken: { buckets: observed(sglangBuckets.interToken, { 0.01: 500 }), sum: 4 },
    endToEnd: { buckets: observed(sglangBuckets.endToEnd, { 4: 2 }), sum: 6 },
    queue: { buckets: observed(sglangBuckets.queueTime, { 0.1: 2 }), sum: 0.1 },
    running: 10,
    queued: 0,
    tokenUsage: 0.2,
    retractions: 0,
  },
];

function sglangServerSeries(engine: Engine, source: SglangServer): WorldSeries[] {
  const tokenizer = { job: 'sglang', instance: source.instance, model_name: source.model, engine_type: 'unified' };
  const histogram = (name: string, bounds: readonly number[], labels: Record<string, string>, data: SglangServer['queue']) =>
    histogramSeries(engine, name, labels, bounds, pythonBound, data.buckets, data.sum);
  const ranks = ['0', '1'].map((rank) => ({ ...tokenizer, tp_rank: rank, pp_rank: '0', moe_ep_rank: '0' }));
  return [
    gauge('up', { job: 'sglang', instance: source.instance }, 1),
    counter('sglang:num_requests_total', tokenizer, source.requests),
    counter('sglang:num_aborted_requests_total', tokenizer, source.aborted),
    counter('sglang:prompt_tokens_total', tokenizer, source.promptTokens),
    counter('sglang:generation_tokens_total', tokenizer, source.generationTokens),
    counter('sglang:cached_tokens_total', tokenizer, source.cachedTokens),
    ...histogram('sglang:time_to_first_token_seconds', sglangBuckets.timeToFirstToken, tokenizer, source.timeToFirstToken),
    ...histogram('sglang:inter_token_latency_seconds', sglangBuckets.interToken, tokenizer, source.interToken),
    ...histogram('sglang:e2e_request_latency_seconds', sglangBuckets.endToEnd, tokenizer, source.endToEnd),
    // Every rank reports the scheduler's state (--enable-metrics-for-all-schedulers); the queue
    // histogram and the retractions come from rank 0 only, as by default.
    ...ranks.flatMap((scheduler) => [
      gauge('sglang:num_running_reqs', scheduler, source.running),
      gauge('sglang:num_queue_reqs', scheduler, source.queued),
      gauge('sglang:token_usage', scheduler, source.tokenUsage),
    ]),
    ...histogram('sglang:queue_time_seconds', sglangBuckets.queueTime, ranks[0] as Record<string, string>, source.queue),
    counter('sglang:num_retracted_requests_total', ranks[0] as Record<string, string>, source.retractions),
  ];
}

export const sglangSeries = (engine: Engine): WorldSeries[] =>
  sglangServers.flatMap((source) => sglangServerSeries(engine, source));

const tgiBound = (index: number) => tgiDurationBuckets[index] as number;
const tgi = (perBucket: readonly (readonly [number, number])[]) =>
  observed(tgiDurationBuckets, Object.fromEntries(perBucket.map(([index, rate]) => [String(tgiBound(index)), rate])));

/** The TGI router: 9 successes, 0.5 validation and 0.5 incomplete failures per second. */
export const tgiRouter = {
  instance: 'tgi-1:80',
  success: 9,
  failures: { validation: 0.5, incomplete: 0.5 },
  inputTokens: 9000,
  generatedTokens: 2700,
  // Bucket indices of tgiDurationBuckets: 0.0001 s x 1.5^(index + 1).
  duration: {
    buckets: tgi([
      [16, 3],
      [17, 6],
    ]),
    sum: 9 * 0.9,
  },
  validation: { buckets: tgi([[2, 9]]), sum: 9 * 0.0003 },
  queue: {
    buckets: tgi([
      [10, 6],
      [12, 3],
    ]),
    sum: 9 * 0.01,
  },
  inference: {
    buckets: tgi([
      [16, 3],
      [17, 6],
    ]),
    sum: 9 * 0.85,
  },
  meanTimePerToken: {
    buckets: tgi([
      [8, 5],
      [9, 4],
    ]),
    sum: 9 * 0.003,
  },
  prefillSteps: {
    buckets: tgi([
      [11, 2],
      [12, 2],
    ]),
    sum: 4 * 0.02,
  },
  decodeSteps: {
    buckets: tgi([
      [5, 90],
      [6, 10],
    ]),
    sum: 100 * 0.001,
  },
  running: 18,
  queued: 3,
} as const;

export const tgiSeries = (engine: Engine): WorldSeries[] => {
  const labels = { job: 'tgi', instance: tgiRouter.instance };
  const histogram = (name: string, data: ObservedHistogram, extra: Record<string, string> = {}) =>
    histogramSeries(engine, name, { ...labels, ...extra }, tgiDurationBuckets, plainBound, data.buckets, data.sum);
  const r = tgiRouter;
  return [
    gauge('up', labels, 1),
    counter('tgi_request_count', labels, r.success + r.failures.validation + r.failures.incomplete),
    counter('tgi_request_success', labels, r.success),
    ...Object.entries(r.failures).map(([err, rate]) => counter('tgi_request_failure', { ...labels, err }, rate)),
    counter('tgi_request_input_length_sum', labels, r.inputTokens),
    counter('tgi_request_input_length_count', labels, r.success),
    counter('tgi_request_generated_tokens_sum', labels, r.generatedTokens),
    counter('tgi_request_generated_tokens_count', labels, r.success),
    ...histogram('tgi_request_duration', r.duration),
    ...histogram('tgi_request_validation_duration', r.validation),
    ...histogram('tgi_request_queue_duration', r.queue),
    ...histogram('tgi_request_inference_duration', r.inference),
    ...histogram('tgi_request_mean_time_per_token_duration', r.meanTimePerToken),
    ...histogram('tgi_batch_inference_duration', r.prefillSteps, { method: 'prefill' }),
    ...histogram('tgi_batch_inference_duration', r.decodeSteps, { method: 'decode' }),
    gauge('tgi_batch_current_size', labels, r.running),
    gauge('tgi_queue_size', labels, r.queued),
  ];
};

/** Triton with TensorRT-LLM on one server: the ensemble's requests, the engine's gauges and tokens. */
export const tensorrtLlmServer = {
  instance: 'triton-llm:8002',
  success: 6,
  canceled: 0.5,
  // Microseconds per successful request.
  ensembleDuration: 3_000_000,
  engineQueue: 400,
  engineCompute: 2_900_000,
  inputTokens: 7200,
  outputTokens: 2400,
  scheduled: 37,
  waiting: 4,
  kvFraction: 0.341871,
  paused: 2,
  gpus: [
    { uuid: 'GPU-T0', utilization: 0.96, usedBytes: 78e9, totalBytes: 85.5e9 },
    { uuid: 'GPU-T1', utilization: 0.5, usedBytes: 40e9, totalBytes: 85.5e9 },
  ],
} as const;

export const tensorrtLlmSeries = (engine: Engine): WorldSeries[] => {
  const s = tensorrtLlmServer;
  const base = { job: 'triton', instance: s.instance };
  const model = (name: string) => ({ ...base, model: name, version: '1' });
  const models = ['ensemble', 'preprocessing', 'tensorrt_llm', 'postprocessing'];
  // Streaming: postprocessing runs once per streamed response.
  const successes: Record<string, number> = {
    ensemble: s.success,
    preprocessing: s.success + s.canceled,
    tensorrt_llm: s.success,
    postprocessing: 400,
  };
  const tokens = (name: string, type: string, rate: number) =>
    histogramSeries(
      engine,
      name,
      { ...model('tensorrt_llm'), response_metric_type: type },
      [10, 50, 100, 500, 1000],
      plainBound,
      new Map([[500, s.success]]),
      rate,
    );
  const engineGauge = (family: string, label: string, value: string, reading: number) =>
    gauge(family, { ...model('tensorrt_llm'), [label]: value }, reading);
  return [
    gauge('up', base, 1),
    ...models.map((name) => counter('nv_inference_request_success', model(name), successes[name] ?? 0)),
    ...['ensemble', 'tensorrt_llm'].map((name) =>
      counter('nv_inference_request_failure', { ...model(name), reason: 'CANCELED' }, s.canceled),
    ),
    counter('nv_inference_request_failure', { ...model('ensemble'), reason: 'BACKEND' }, 0),
    counter('nv_inference_request_duration_us', model('ensemble'), s.success * s.ensembleDuration),
    counter('nv_inference_request_duration_us', model('tensorrt_llm'), s.success * (s.ensembleDuration - 1000)),
    counter('nv_inference_queue_duration_us', model('ensemble'), s.success * 40),
    counter('nv_inference_queue_duration_us', model('tensorrt_llm'), s.success * s.engineQueue),
    counter('nv_inference_compute_infer_duration_us', model('ensemble'), 0),
    counter('nv_inference_compute_infer_duration_us', model('tensorrt_llm'), s.success * s.engineCompute),
    ...tokens('nv_llm_input_token_len', 'total_input_tokens', s.inputTokens),
    ...tokens('nv_llm_output_token_len', 'total_output_tokens', s.outputTokens),
    engineGauge('nv_trt_llm_request_metrics', 'request_type', 'active', s.scheduled + s.waiting),
    engineGauge('nv_trt_llm_request_metrics', 'request_type', 'scheduled', s.scheduled),
    engineGauge('nv_trt_llm_request_metrics', 'request_type', 'waiting', s.waiting),
    engineGauge('nv_trt_llm_request_metrics', 'request_type', 'max', 256),
    engineGauge('nv_trt_llm_kv_cache_block_metrics', 'kv_cache_block_type', 'fraction', s.kvFraction),
    engineGauge('nv_trt_llm_kv_cache_block_metrics', 'kv_cache_block_type', 'used', 2456),
    engineGauge('nv_trt_llm_inflight_batcher_metrics', 'inflight_batcher_specific_metric', 'paused_requests', s.paused),
    ...s.gpus.flatMap((gpu) => [
      gauge('nv_gpu_utilization', { ...base, gpu_uuid: gpu.uuid }, gpu.utilization),
      gauge('nv_gpu_memory_used_bytes', { ...base, gpu_uuid: gpu.uuid }, gpu.usedBytes),
      gauge('nv_gpu_memory_total_bytes', { ...base, gpu_uuid: gpu.uuid }, gpu.totalBytes),
    ]),
  ];
};

/** One GPU (or MIG instance) of the DCGM exporter. */
export interface DcgmGpu {
  readonly host: string;
  /** The host label's spelling: the released exporter's `Hostname` or the newer `hostname`. */
  readonly hostLabel: 'Hostname' | 'hostname';
  readonly index: string;
  readonly uuid: string;
  readonly mig?: string;
  readonly pod?: { readonly namespace: string; readonly pod: string; readonly container: string };
  /** Percent, MiB, W, °C. */
  readonly utilization: number;
  readonly usedMiB: number;
  readonly freeMiB: number;
  readonly watts: number;
  readonly celsius: number;
  readonly xid: number;
}

export const dcgmGpus: readonly DcgmGpu[] = [
  {
    host: 'node-a',
    hostLabel: 'Hostname',
    index: '0',
    uuid: 'GPU-A0',
    pod: { namespace: 'llm', pod: 'vllm-llama-0', container: 'vllm' },
    utilization: 90,
    usedMiB: 72000,
    freeMiB: 8000,
    watts: 600,
    celsius: 70,
    xid: 0,
  },
  {
    host: 'node-a',
    hostLabel: 'Hostname',
    index: '1',
    uuid: 'GPU-A1',
    utilization: 0,
    usedMiB: 0,
    freeMiB: 80000,
    watts: 70,
    celsius: 31,
    xid: 0,
  },
  {
    host: 'node-b',
    hostLabel: 'hostname',
    index: '0',
    uuid: 'GPU-B0',
    utilization: 80,
    usedMiB: 60000,
    freeMiB: 20000,
    watts: 500,
    celsius: 66,
    xid: 79,
  },
  {
    host: 'node-b',
    hostLabel: 'hostname',
    index: '1',
    uuid: 'GPU-B1',
    mig: '1',
    utilization: 40,
    usedMiB: 10000,
    freeMiB: 10000,
    watts: 200,
    celsius: 60,
    xid: 0,
  },
  {
    host: 'node-b',
    hostLabel: 'hostname',
    index: '1',
    uuid: 'GPU-B1',
    mig: '2',
    utilization: 60,
    usedMiB: 15000,
    freeMiB: 5000,
    watts: 200,
    celsius: 60,
    xid: 0,
  },
  {
    host: 'node-c',
    hostLabel: 'Hostname',
    index: '0',
    uuid: 'GPU-C0',
    pod: { namespace: 'llm', pod: 'vllm-qwen-0', container: 'vllm' },
    utilization: 50,
    usedMiB: 40000,
    freeMiB: 40000,
    watts: 300,
    celsius: 55,
    xid: 0,
  },
  {
    host: 'node-c',
    hostLabel: 'Hostname',
    index: '1',
    uuid: 'GPU-C1',
    pod: { namespace: 'training', pod: 'trainer-0', container: 'pytorch' },
    utilization: 100,
    usedMiB: 79000,
    freeMiB: 1000,
    watts: 690,
    celsius: 80,
    xid: 0,
  },
];

export const dcgmSeries = (): WorldSeries[] =>
  dcgmGpus.flatMap((gpu) => {
    const labels = {
      job: 'dcgm',
      instance: `${gpu.host}:9400`,
      gpu: gpu.index,
      UUID: gpu.uuid,
      device: `nvidia${gpu.index}`,
      modelName: 'NVIDIA H100 80GB HBM3',
      [gpu.hostLabel]: gpu.host,
      ...(gpu.mig ? { GPU_I_ID: gpu.mig, GPU_I_PROFILE: '3g.40gb' } : {}),
      ...gpu.pod,
    };
    return [
      gauge('DCGM_FI_DEV_GPU_UTIL', labels, gpu.utilization),
      gauge('DCGM_FI_DEV_FB_USED', labels, gpu.usedMiB),
      gauge('DCGM_FI_DEV_FB_FREE', labels, gpu.freeMiB),
      gauge('DCGM_FI_DEV_POWER_USAGE', labels, gpu.watts),
      gauge('DCGM_FI_DEV_GPU_TEMP', labels, gpu.celsius),
      gauge(
        'DCGM_FI_DEV_XID_ERRORS',
        { ...labels, err_code: String(gpu.xid), err_msg: gpu.xid === 0 ? 'No Error' : 'GPU has fallen off the bus' },
        gpu.xid,
      ),
    ];
  });
