/**
 * Ready-made dashboards: the Triton guide's Triton dashboard, the dynamic batcher guide's
 * dynamic batcher dashboard, the LLM observability guide's SLO dashboard, one per LLM server
 * and one of GPUs from DCGM, assembled only from `inferboard/panels`.
 */
import {
  batchingEfficiency,
  batchSize,
  batchSizeDistribution,
  burnRate,
  computeTime,
  inferenceTime,
  endToEndLatency,
  errorBudgetRemaining,
  errorLogs,
  errorRate,
  finishReasons,
  gpuMemory,
  gpuPower,
  gpuTemperature,
  gpuUtilization,
  gpuXidErrors,
  inflightBatches,
  interTokenLatency,
  kvCacheUsage,
  latency,
  logVolume,
  modelSummary,
  prefillDecodeTime,
  prefixCacheHitRate,
  preemptions,
  requestLogs,
  requestQueueTime,
  runningRequests,
  slowRequests,
  timeToFirstToken,
  tokenThroughput,
  traceSearch,
  queueSize,
  queueTime,
  requestRate,
  serviceLevel,
  totalExecutions,
  totalFailures,
  totalRequests,
} from '../../panels/index.js';
import {
  batcherMetrics,
  dcgmMetrics,
  perGpuLabels,
  sglangMetrics,
  tensorrtLlmMetrics,
  tgiMetrics,
  tritonMetrics,
  vllmMetrics,
  type LabelFilter,
  type LogFormat,
  type MetricsProfile,
  type ServiceLevelObjective,
} from '../../queries/index.js';
import { dashboard, type DashboardOptions, type InferboardDashboard, type PanelLike, type RowDefinition } from './dashboard.js';
import { checkOptions } from '../../queries/options.js';

/** Options of the presets: any dashboard option but the panels. */
export interface PresetOptions extends Partial<Omit<DashboardOptions, 'panels' | 'rows'>> {
  /**
   * Label filters every panel of the server's series adds, as a panel's `filters` do: the target
   * labels of one scrape job, such as the Triton guide's `{ label: 'environment', value: 'production' }`.
   * A GPU exporter's panels (`gpu` of the LLM presets) show the GPUs serving the filtered targets;
   * their own series carry the exporter's target labels, and are not filtered. Default none.
   */
  readonly filters?: readonly LabelFilter[];
  /** Read rates from the recorded series of `recordingRules()` (see `recorded` of the query options). Default `false`. */
  readonly recorded?: boolean;
  /** Prometheus's scrape interval of the series, as `recordingRules()` and `build-dashboards --scrape-interval` take it. Default `15s`. */
  readonly scrapeInterval?: string;
}

/** The "Logs" row of a serving preset: the log panels' format and threshold. */
export interface LogsRowOptions {
  /** Field names where the request lines differ from the guide's (`requestLogFormat`). */
  readonly format?: Partial<LogFormat>;
  /** The slowest requests panel lists requests over this many milliseconds. Default 1,000. */
  readonly thresholdMs?: number;
}

/** The "Traces" row of a serving preset. */
export interface TracesRowOptions {
  /** The span attribute naming the model. Default the profile's (`span.model_name` on Triton). */
  readonly modelAttribute?: string;
  /** Traces at least this long, in milliseconds. Default 500. */
  readonly minDurationMs?: number;
}

/** Options of the presets of a serving server (Triton, the batcher, the LLM servers). */
export interface ServingPresetOptions extends PresetOptions {
  /**
   * Adds a "Logs" row from Loki (`$loki`): log volume by level, the slowest requests, the request
   * lines and the errors of the server's structured JSON request logs, narrowed by `filters` (a
   * model filter reads the line's field, the others stream labels). Default `false`.
   */
  readonly logs?: boolean | LogsRowOptions;
  /**
   * Adds a "Traces" row from Tempo (`$tempo`): the slowest recent traces of the selected service
   * and model (`filters` do not narrow it: spans have no target labels). Its latency panels link
   * to traces either way, through their histograms' exemplars. Default `false`.
   */
  readonly traces?: boolean | TracesRowOptions;
}

function dashboardOptions({
  recorded: _recorded,
  scrapeInterval: _scrapeInterval,
  filters: _filters,
  logs: _logs,
  traces: _traces,
  ...options
}: ServingPresetOptions): Partial<DashboardOptions> {
  return options;
}

/** The "Logs" and "Traces" rows `options` ask for, reading the streams and spans of `profile`'s job. */
function logsAndTracesRows(profile: MetricsProfile, options: ServingPresetOptions): RowDefinition[] {
  const rows: RowDefinition[] = [];
  if (options.logs) {
    const { format, thresholdMs } = options.logs === true ? ({} as LogsRowOptions) : options.logs;
    const logs = { profile, ...(format ? { format } : {}), ...(options.filters ? { filters: options.filters } : {}) };
    rows.push({
      title: 'Logs',
      panels: [
        logVolume(logs),
        slowRequests({ ...logs, ...(thresholdMs === undefined ? {} : { thresholdMs }) }),
        requestLogs(logs),
        errorLogs(logs),
      ],
    });
  }
  if (options.traces) {
    const { modelAttribute, minDurationMs } = options.traces === true ? ({} as TracesRowOptions) : options.traces;
    rows.push({
      title: 'Traces',
      panels: [
        traceSearch({
          profile,
          ...(modelAttribute ? { modelAttribute } : {}),
          ...(minDurationMs === undefined ? {} : { minDurationMs }),
        }),
      ],
    });
  }
  return rows;
}

/** The query options every panel of a preset shares. */
function panelOptions(options: PresetOptions, profile: MetricsProfile) {
  return {
    profile,
    recorded: options.recorded ?? false,
    ...(options.scrapeInterval ? { scrapeInterval: options.scrapeInterval } : {}),
    ...(options.filters ? { filters: options.filters } : {}),
  };
}

/** The Triton dashboard of the Triton guide: traffic, batching, latency, GPU and a per-model table. */
export function tritonDashboard(options: ServingPresetOptions = {}): InferboardDashboard {
  checkOptions('tritonDashboard', options);
  const profile: MetricsProfile = options.profile ?? tritonMetrics;
  const panel = panelOptions(options, profile);
  return dashboard({
    uid: 'triton-inference',
    title: 'Triton Inference Server',
    description: 'Request rate, batching, latency and GPU usage of NVIDIA Triton, per model.',
    tags: ['inferboard', 'triton'],
    ...dashboardOptions(options),
    profile,
    rows: [
      {
        title: 'Overview',
        panels: [totalRequests(panel), totalFailures(panel), totalExecutions(panel), batchingEfficiency(panel)],
      },
      { title: 'Traffic and batching', panels: [requestRate(panel), batchSize(panel), errorRate(panel), queueSize(panel)] },
      { title: 'Latency', panels: [latency(panel), queueTime(panel), computeTime(panel)] },
      { title: 'GPU', panels: [gpuUtilization(panel), gpuMemory(panel)] },
      { title: 'Models', panels: [modelSummary(panel)] },
      ...logsAndTracesRows(profile, options),
    ],
  });
}

/** The dynamic batcher dashboard of the dynamic batcher guide. */
export function batcherDashboard(options: ServingPresetOptions = {}): InferboardDashboard {
  checkOptions('batcherDashboard', options);
  const profile: MetricsProfile = options.profile ?? batcherMetrics;
  const panel = panelOptions(options, profile);
  return dashboard({
    uid: 'inference-api-batcher',
    title: 'Inference API - Dynamic Batcher',
    description: 'Throughput, reliability, latency and batching of the inference API with a dynamic batcher.',
    tags: ['inferboard', 'batcher'],
    ...dashboardOptions(options),
    profile,
    rows: [
      { title: 'Requests', panels: [requestRate(panel), errorRate(panel), latency({ ...panel, quantiles: [0.5, 0.95, 0.99] })] },
      {
        title: 'Batching',
        panels: [
          batchSize(panel),
          batchingEfficiency({ ...panel, width: 12, height: 8 }),
          queueSize(panel),
          inflightBatches(panel),
        ],
      },
      {
        title: 'Timing',
        panels: [
          queueTime({ ...panel, title: 'Batch wait time' }),
          inferenceTime(panel),
          batchSizeDistribution({ ...panel, width: 24 }),
        ],
      },
      ...logsAndTracesRows(profile, options),
    ],
  });
}

/** Options of {@link sloDashboard}. */
export interface SloDashboardOptions extends Partial<Omit<DashboardOptions, 'panels' | 'rows'>> {
  /** The objectives, one row each; `sloRules()` must record them. */
  readonly objectives: readonly ServiceLevelObjective[];
}

/** One row per objective: error budget remaining, burn rate, and the indicator against the target. */
export function sloDashboard(options: SloDashboardOptions): InferboardDashboard {
  checkOptions('sloDashboard', options);
  const { objectives, ...rest } = options;
  if (objectives.length === 0) throw new Error('sloDashboard needs at least one objective');
  return dashboard({
    uid: 'inference-slo',
    title: 'Inference SLOs',
    description: 'Error budgets, burn rates and indicators of the inference service level objectives.',
    tags: ['inferboard', 'slo'],
    time: { from: 'now-7d', to: 'now' },
    refresh: '1m',
    // The $model variable, where any objective's profile has a model label.
    profile: (objectives.find((slo) => slo.profile.labels.model) ?? objectives[0])?.profile,
    servers: [...new Set(objectives.map((slo) => slo.profile))],
    ...rest,
    rows: objectives.map((slo) => ({
      title: `${slo.name}: ${slo.description}`,
      panels: [errorBudgetRemaining(slo), burnRate(slo), serviceLevel(slo)],
    })),
  });
}

/** Options of the LLM server presets. */
export interface LlmPresetOptions extends ServingPresetOptions {
  /**
   * GPU metrics from an exporter (`dcgmMetrics`): adds GPU rows showing the GPUs that serve the
   * selected models, joined by Kubernetes pod or by host. Default: none (the server's own GPU
   * metrics where it has them, as Triton with TensorRT-LLM does).
   */
  readonly gpu?: MetricsProfile;
}

/** What an LLM preset is called. */
interface LlmPreset {
  /** The builder's exported name, for its option errors. */
  readonly builder: string;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tag: string;
}

/** The panels of `row` whose metric the profile has: `[condition, panel]` pairs, built only where the condition holds. */
function present(...panels: readonly (readonly [unknown, () => PanelLike])[]): PanelLike[] {
  return panels.flatMap(([condition, panel]) => (condition ? [panel()] : []));
}

/** GPU rows for the LLM presets: the exporter's GPUs serving the models, or the server's own GPU gauges. */
function gpuRows(profile: MetricsProfile, options: LlmPresetOptions, panel: ReturnType<typeof panelOptions>): RowDefinition[] {
  if (options.gpu) {
    const gpu = { profile: options.gpu, servedBy: profile, ...(options.filters ? { servingFilters: options.filters } : {}) };
    const health = options.gpu.gpu;
    return [
      {
        title: 'GPU',
        panels: [
          gpuUtilization(gpu),
          gpuMemory(gpu),
          ...present([health?.powerWatts, () => gpuPower(gpu)], [health?.temperatureCelsius, () => gpuTemperature(gpu)]),
          ...present([health?.xidErrors, () => gpuXidErrors(gpu)]),
        ],
      },
    ];
  }
  return profile.gpu ? [{ title: 'GPU', panels: [gpuUtilization(panel), gpuMemory(panel)] }] : [];
}

/**
 * The dashboard of an LLM server: traffic and tokens, latency (time to first token, between
 * tokens, end to end, queue, prefill and decode), the engine (running and waiting requests, KV
 * cache, preemptions, prefix cache) and the GPU; each panel where the server has its metric.
 */
function llmDashboard(profile: MetricsProfile, preset: LlmPreset, options: LlmPresetOptions): InferboardDashboard {
  const { gpu: _gpu, ...rest } = options;
  const panel = panelOptions(options, profile);
  return dashboard({
    uid: preset.uid,
    title: preset.title,
    description: preset.description,
    tags: ['inferboard', 'llm', preset.tag],
    ...dashboardOptions(rest),
    profile,
    servers: options.gpu ? [profile, options.gpu] : [profile],
    rows: [
      {
        title: 'Traffic',
        panels: [
          requestRate(panel),
          errorRate(panel),
          ...present([profile.finishReasons, () => finishReasons(panel)], [profile.tokens, () => tokenThroughput(panel)]),
        ],
      },
      {
        title: 'Latency',
        panels: present(
          [profile.firstResponse, () => timeToFirstToken(panel)],
          [profile.interToken, () => interTokenLatency(panel)],
          [profile.latency, () => endToEndLatency(panel)],
          [profile.queueTime, () => requestQueueTime(panel)],
          [profile.prefill && profile.decode, () => prefillDecodeTime(panel)],
        ),
      },
      {
        title: 'Engine',
        panels: present(
          [profile.runningRequests && profile.pendingRequests, () => runningRequests(panel)],
          [profile.kvCacheUsage, () => kvCacheUsage(panel)],
          [profile.preemptions, () => preemptions(panel)],
          [profile.prefixCache, () => prefixCacheHitRate(panel)],
        ),
      },
      ...gpuRows(profile, options, panel),
      ...logsAndTracesRows(profile, options),
    ],
  });
}

/** The preset of an LLM server: `llmDashboard` over `profile` (or the one the options give), named by `preset`. */
function llmPreset(profile: MetricsProfile, preset: LlmPreset): (options?: LlmPresetOptions) => InferboardDashboard {
  return (options = {}) => {
    checkOptions(preset.builder, options);
    return llmDashboard(options.profile ?? profile, preset, options);
  };
}

/** The vLLM dashboard: `vllm serve` (V1 engine), per served model (`$model` is `model_name`) and engine. */
export const vllmDashboard = llmPreset(vllmMetrics, {
  builder: 'vllmDashboard',
  uid: 'vllm',
  title: 'vLLM',
  description: 'Requests, tokens, latency (TTFT, inter-token, end to end), KV cache and preemptions of vLLM, per model.',
  tag: 'vllm',
});

/** The SGLang dashboard, per served model, engine type and rank. */
export const sglangDashboard = llmPreset(sglangMetrics, {
  builder: 'sglangDashboard',
  uid: 'sglang',
  title: 'SGLang',
  description: 'Requests, tokens, latency (TTFT, inter-token, end to end), KV cache and retractions of SGLang, per model.',
  tag: 'sglang',
});

/** The Hugging Face TGI dashboard (one model per server: no `$model`). */
export const tgiDashboard = llmPreset(tgiMetrics, {
  builder: 'tgiDashboard',
  uid: 'tgi',
  title: 'Hugging Face TGI',
  description: 'Requests, tokens, latency (approximate TTFT, time per token, end to end) and batching of TGI.',
  tag: 'tgi',
});

/** The dashboard of Triton with the TensorRT-LLM backend: requests on the ensemble, the engine's gauges, Triton's GPU gauges. */
export const tensorrtLlmDashboard = llmPreset(tensorrtLlmMetrics, {
  builder: 'tensorrtLlmDashboard',
  uid: 'tensorrt-llm',
  title: 'Triton TensorRT-LLM',
  description: 'Requests, tokens, latency, in-flight batching and KV cache of Triton with the TensorRT-LLM backend.',
  tag: 'tensorrt-llm',
});

/**
 * GPUs from the DCGM exporter alone: utilization and memory per GPU (MIG instances apart), per
 * host and per pod, then power, temperature and XID errors.
 */
export function gpuDashboard(options: PresetOptions = {}): InferboardDashboard {
  checkOptions('gpuDashboard', options);
  const profile: MetricsProfile = options.profile ?? dcgmMetrics;
  const panel = panelOptions(options, profile);
  const perGpu = { ...panel, groupBy: perGpuLabels(profile) };
  const pods = {
    ...panel,
    groupBy: ['namespace', 'pod'],
    filters: [...(panel.filters ?? []), { label: 'pod', operator: '!=' as const, value: '' }],
  };
  const health = profile.gpu;
  return dashboard({
    uid: 'gpu-dcgm',
    title: 'GPUs (DCGM)',
    description: 'Utilization, memory, power, temperature and XID errors of NVIDIA GPUs from the DCGM exporter.',
    tags: ['inferboard', 'gpu'],
    ...dashboardOptions(options),
    profile,
    rows: [
      { title: 'GPUs', panels: [gpuUtilization({ ...perGpu, width: 24, title: 'GPU utilization per GPU' }), gpuMemory(panel)] },
      {
        title: 'Hosts and pods',
        panels: [
          gpuUtilization({ ...panel, groupBy: ['host'], title: 'GPU utilization per host' }),
          gpuMemory({ ...pods, measure: 'bytes', title: 'GPU memory used per pod' }),
        ],
      },
      {
        title: 'Health',
        panels: present(
          [health?.powerWatts, () => gpuPower(panel)],
          [health?.temperatureCelsius, () => gpuTemperature(panel)],
          [health?.xidErrors, () => gpuXidErrors(panel)],
        ),
      },
    ],
  });
}
