/**
 * A metrics profile describes one server's metrics by role: which series count requests, which
 * time them, which gauge the KV cache or the GPU. Query functions read only the profile, so
 * supporting another server is one new file that exports a profile. Every role is optional: a
 * query asking for one the server does not export throws an error naming server and metric.
 */

/** How a label matcher compares: exactly, or as an RE2 regex (Prometheus's four operators). */
export interface LabelMatch {
  readonly operator: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A metric family, optionally narrowed by fixed label matchers (e.g. `status="error"`). */
export interface MetricRef {
  readonly name: string;
  /** Label filters that select the series of this role: a string matches exactly. Default: none. */
  readonly matchers?: Readonly<Record<string, string | LabelMatch>>;
  /**
   * What the raw value is multiplied by to reach the role's unit: DCGM's utilization in percent
   * is `0.01` of the 0-1 ratio, its framebuffer in MiB is `1048576` bytes. Default 1.
   */
  readonly scale?: number;
  /**
   * Names older releases exported for the same series (vLLM's `vllm:gpu_cache_usage_perc`):
   * a query reads the current name and, per group that lacks it, the first older one that exists.
   */
  readonly previousNames?: readonly string[];
}

/** Units a duration metric may be exported in; queries always return seconds. */
export type TimeUnit = 'microseconds' | 'milliseconds' | 'seconds';

/** How many of each unit make a second. */
export const unitsPerSecond: Readonly<Record<TimeUnit, number>> = { seconds: 1, milliseconds: 1_000, microseconds: 1_000_000 };

/** Where latency quantiles come from. */
export type QuantileSource =
  | {
      /** A Prometheus summary: precomputed per-process quantiles that cannot be aggregated. */
      readonly kind: 'summary';
      readonly name: string;
      /** Quantiles the server exports (a summary cannot give any others). */
      readonly quantiles: readonly number[];
    }
  | {
      /** A classic Prometheus histogram (`_bucket{le}` counters): any quantile, aggregatable. */
      readonly kind: 'histogram';
      readonly name: string;
      /** Upper bounds of the buckets the server exports, in the metric's unit, where they are fixed. */
      readonly buckets?: readonly number[];
      /** Names older releases exported the same histogram under. */
      readonly previousNames?: readonly string[];
      /** Label filters that select this role's series of the histogram (TGI's `method="prefill"`). */
      readonly matchers?: MetricRef['matchers'];
    };

/** What one observation of a duration is: a request, a batch (or engine step), or an output token. */
export type ObservationUnit = 'request' | 'batch' | 'token';

/** A measured duration: its mean comes from two counters, its quantiles from a summary or histogram. */
export interface Timing {
  /** Unit of the raw series. */
  readonly unit: TimeUnit;
  /** Counter of time spent, cumulative (`..._duration_us`, or a histogram's `_sum`). */
  readonly total: MetricRef;
  /** Counter of observations that `total` covers (requests, or a histogram's `_count`). */
  readonly count: MetricRef;
  /** Quantile source, when the server exports one. */
  readonly quantiles?: QuantileSource;
  /** What one observation is. Shown in panel descriptions. */
  readonly per: ObservationUnit;
  /** What a reader must know about this server's figure, shown in the panel's description. */
  readonly note?: string;
}

/**
 * A duration the server does not measure, approximated by the sum of the means of measured
 * ones (TGI's time to first token: validation + queue + one prefill step). It has no quantiles,
 * and every panel drawing it says that it is an approximation and of what.
 */
export interface ApproximateTiming {
  /** `validation + queue time + one prefill step`: shown in the panel and its legend. */
  readonly approximation: string;
  readonly parts: readonly Timing[];
}

/** Label names the profile's series carry, by meaning. */
export interface ProfileLabels {
  readonly job: string;
  readonly instance: string;
  /** Absent when the server does not label series by model. */
  readonly model?: string;
  /** The label telling GPUs apart (Triton `gpu_uuid`, DCGM `UUID`); absent without GPU metrics. */
  readonly gpu?: string;
  /** The MIG instance of a GPU (DCGM `GPU_I_ID`), kept apart from its GPU. */
  readonly gpuInstance?: string;
  /** The host a GPU is in (DCGM `hostname`). */
  readonly host?: string;
  /** Older spellings of the host label (DCGM's released `Hostname`): queries read either, as `host`. */
  readonly hostAliases?: readonly string[];
  /** Kubernetes namespace and pod of the workload holding a GPU (DCGM's pod mapping). */
  readonly namespace?: string;
  readonly pod?: string;
  /**
   * Further labels that split the server's series, each a dashboard variable after `$model`
   * (vLLM's `engine`, SGLang's ranks).
   */
  readonly extra?: readonly ExtraLabel[];
  /**
   * Labels whose series repeat one scheduler's state (SGLang's `tp_rank` when every rank
   * reports): gauges take the largest across them before summing.
   */
  readonly replicas?: readonly string[];
}

/** A label of {@link ProfileLabels.extra}. */
export interface ExtraLabel {
  /** The label, and the name of its dashboard variable. */
  readonly label: string;
  /** The variable's title. */
  readonly title: string;
  /** Metrics whose series carry it. Default: every model-level metric of the profile. */
  readonly carriedBy?: readonly string[];
}

/** GPU gauges, when the server (or an exporter such as DCGM) exports them. */
export interface GpuMetrics {
  /** Utilization, scaled to a 0.0-1.0 ratio. */
  readonly utilization: MetricRef;
  /** Memory in use, scaled to bytes. */
  readonly memoryUsedBytes: MetricRef;
  /** Memory in all; where the server reports free memory instead, {@link memoryFreeBytes}. */
  readonly memoryTotalBytes?: MetricRef;
  /** Free memory: the total is used + free. */
  readonly memoryFreeBytes?: MetricRef;
  readonly powerWatts?: MetricRef;
  readonly powerLimitWatts?: MetricRef;
  readonly temperatureCelsius?: MetricRef;
  /** A gauge holding the last XID error code of each GPU (0: none). */
  readonly xidErrors?: MetricRef;
  /** Labels that tell one GPU apart, by meaning: a per-GPU query keeps these. Default instance and gpu. */
  readonly perGpu?: readonly ('instance' | 'host' | 'gpu' | 'gpuInstance')[];
}

/** Every metric family a server exports, by type, as its `/metrics` page names them: what lint knows. */
export interface MetricFamilies {
  /**
   * Name prefixes whose every family this list holds: lint reports a name with one of them that
   * no family has. Empty where optional features add families not listed (vLLM's speculative
   * decoding, DCGM's hundreds of fields).
   */
  readonly prefixes: readonly string[];
  /** Counters as exposed (prometheus_client's `_total` included). */
  readonly counter: readonly string[];
  readonly gauge: readonly string[];
  /** Histograms by base name: `_bucket`, `_sum` and `_count` series follow. */
  readonly histogram: readonly string[];
  /** Summaries by base name: quantile series, `_sum` and `_count` follow. */
  readonly summary: readonly string[];
  /** prometheus_client's `<name>_created` gauge beside each counter, histogram and summary. Default `false`. */
  readonly createdSeries?: boolean;
}

/** Every series name of `families`: counters, gauges, each histogram's and summary's parts, `_created` gauges. */
export function familySeriesNames(families: MetricFamilies): Set<string> {
  const { counter, gauge, histogram, summary, createdSeries } = families;
  // A counter's `_created` drops its `_total`; a histogram's keeps its whole name.
  const created = (name: string) => (createdSeries ? [`${name}_created`] : []);
  return new Set([
    ...counter.flatMap((name) => [name, ...created(name.replace(/_total$/, ''))]),
    ...gauge,
    ...histogram.flatMap((name) => [`${name}_bucket`, `${name}_sum`, `${name}_count`, ...created(name)]),
    ...summary.flatMap((name) => [name, `${name}_sum`, `${name}_count`, ...created(name)]),
  ]);
}

/** Where a server serves its metrics. */
export interface ScrapeTarget {
  /** The container port. */
  readonly port: number;
  /** Default `/metrics`. */
  readonly path?: string;
  /**
   * Keep the labels the server writes where Prometheus has its own of the same name (DCGM's
   * `namespace` and `pod` of the workload holding a GPU). Default `false`.
   */
  readonly honorLabels?: boolean;
}

/** Everything the query module needs to know about one server's metrics. */
export interface MetricsProfile {
  /** Short id, used in dashboard uids, rule group names and error messages (`triton`, `vllm`). */
  readonly id: string;
  /** Human name, used in titles (`NVIDIA Triton`). */
  readonly displayName: string;
  /** The scrape job default alerts filter by. Default the id. */
  readonly defaultJob?: string;
  /** Prefix of default alert names (`Triton`, `Vllm`). Default the id, capitalized. */
  readonly alertPrefix?: string;
  readonly labels: ProfileLabels;
  /** A series every scraped target exports from start-up, used to list job / instance / model values. */
  readonly discoveryMetric: string;
  /** Every family the server exports, for lint; absent for a user's own server. */
  readonly families?: MetricFamilies;
  /** Where Prometheus scrapes the server: what a ServiceMonitor of `build-dashboards --kubernetes` names. */
  readonly scrape?: ScrapeTarget;
  /** The span attribute naming the model in the server's OpenTelemetry traces, as TraceQL reads it. Default `span.model`. */
  readonly spanModelAttribute?: string;
  readonly requests?: {
    /** Requests that completed. Where absent, every finished request ({@link total}) that neither failed nor was aborted. */
    readonly success?: MetricRef;
    /** Requests that failed. */
    readonly failure: MetricRef;
    /** Requests the client gave up on (vLLM's `abort`), counted apart from failures. */
    readonly aborted?: MetricRef;
    /** Every finished request, failed and aborted included; where given, the other sides read 0 where it has a series and they do not. */
    readonly total?: MetricRef;
    /** What a failure is on this server, for panel descriptions. */
    readonly failureMeaning?: string;
  };
  /** A counter of finished requests split by why they finished (vLLM: stop, length, abort, error). */
  readonly finishReasons?: { readonly metric: MetricRef; readonly label: string };
  /**
   * Dynamic batching counters: executions (batches run on the model) and what they served,
   * counted in requests and, where a request may carry several items, in inferences.
   */
  readonly batching?: {
    /** Requests the executions served (Triton: successful requests). */
    readonly requests: MetricRef;
    /** Inferences (batch items) the executions processed (Triton's `nv_inference_count`); absent where a request is one item. */
    readonly inferences?: MetricRef;
    /** Model executions (Triton's `nv_inference_exec_count`, a histogram's batch count). */
    readonly executions: MetricRef;
    /** Classic histogram of batch sizes, for the distribution heatmap. */
    readonly sizeHistogram?: string;
  };
  /** End-to-end request latency. */
  readonly latency?: Timing;
  /** Time from request arrival to the first response: the first token of a streaming LLM server. */
  readonly firstResponse?: Timing | ApproximateTiming;
  /** Time between output tokens (or per output token). */
  readonly interToken?: Timing;
  /** Time a request waits before it is scheduled. */
  readonly queueTime?: Timing;
  /** Time a request spends in prefill (its prompt) and in decode (its output), per request or per engine step. */
  readonly prefill?: Timing;
  readonly decode?: Timing;
  /** Compute time, split into stages where the server reports them. */
  readonly computeTime?: {
    readonly input?: Timing;
    readonly infer: Timing;
    readonly output?: Timing;
  };
  /** Gauge of requests waiting to be executed. */
  readonly pendingRequests?: MetricRef;
  /** Gauge of requests running now: a continuous-batching server's batch. */
  readonly runningRequests?: MetricRef;
  /** Gauge of batches being executed right now. */
  readonly inflightBatches?: MetricRef;
  /** Gauge of the KV cache in use, a 0-1 ratio. */
  readonly kvCacheUsage?: MetricRef;
  /** Counters of prompt (input) and generated (output) tokens. */
  readonly tokens?: { readonly prompt: MetricRef; readonly generation: MetricRef };
  /** Preempted requests: a counter of preemptions, or a gauge of requests paused now. */
  readonly preemptions?: { readonly metric: MetricRef; readonly kind: 'counter' | 'gauge' };
  /** Counters of prefix-cache hits and lookups, in tokens. */
  readonly prefixCache?: { readonly hits: MetricRef; readonly queries: MetricRef };
  readonly gpu?: GpuMetrics;
}

/** The durations a profile may describe. */
export type TimingName =
  | 'latency'
  | 'firstResponse'
  | 'interToken'
  | 'queueTime'
  | 'prefill'
  | 'decode'
  | 'computeInput'
  | 'computeInfer'
  | 'computeOutput';

/** Whether a profile's duration is an approximation rather than a measurement. */
export function isApproximate(timing: Timing | ApproximateTiming | undefined): timing is ApproximateTiming {
  return timing !== undefined && 'approximation' in timing;
}

/** Every duration of `profile` by name, `undefined` where its server does not export it: the one list of a profile's timings. */
export function profileTimings(profile: MetricsProfile): Readonly<Record<TimingName, Timing | ApproximateTiming | undefined>> {
  const stages = profile.computeTime;
  return {
    latency: profile.latency,
    firstResponse: profile.firstResponse,
    interToken: profile.interToken,
    queueTime: profile.queueTime,
    prefill: profile.prefill,
    decode: profile.decode,
    computeInput: stages?.input,
    computeInfer: stages?.infer,
    computeOutput: stages?.output,
  };
}

/** Every measured duration of `profile`, approximations' parts included. */
export function measuredTimings(profile: MetricsProfile): Timing[] {
  return Object.values(profileTimings(profile)).flatMap((timing) =>
    timing === undefined ? [] : isApproximate(timing) ? timing.parts : [timing],
  );
}

/** The `_bucket` counter of a histogram, its role's matchers and older names included. */
export function bucketsOf(source: Extract<QuantileSource, { kind: 'histogram' }>): MetricRef {
  return {
    name: `${source.name}_bucket`,
    ...(source.previousNames ? { previousNames: source.previousNames.map((name) => `${name}_bucket`) } : {}),
    ...(source.matchers ? { matchers: source.matchers } : {}),
  };
}

/** Thrown when a query asks a profile for something its server does not export. */
export class MissingMetricError extends Error {
  constructor(profile: MetricsProfile, what: string) {
    super(`profile "${profile.id}" (${profile.displayName}) has no ${what} metric`);
    this.name = 'MissingMetricError';
  }
}

/** Returns `value`, or throws a {@link MissingMetricError} naming what is missing. */
export function required<T>(profile: MetricsProfile, value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingMetricError(profile, what);
  return value;
}
