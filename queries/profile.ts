/**
 * A metrics profile describes one inference server's metrics by role: which series count
 * requests, which time them, which gauge the GPU. Query functions read only the profile, so
 * supporting another server (vLLM, TGI, ...) is one new file that exports a profile.
 */

/** A metric family, optionally narrowed by fixed label matchers (e.g. `status="error"`). */
export interface MetricRef {
  readonly name: string;
  /** Exact-match label filters that select the series of this role. Default: none. */
  readonly matchers?: Readonly<Record<string, string>>;
}

/** Units a duration metric may be exported in; queries always return seconds. */
export type TimeUnit = 'microseconds' | 'milliseconds' | 'seconds';

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
    };

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
  /** What one observation is: a request, or a batch execution. Shown in panel descriptions. */
  readonly per: 'request' | 'batch';
}

/** Label names the profile's series carry, by meaning. */
export interface ProfileLabels {
  readonly job: string;
  readonly instance: string;
  /** Absent when the server does not label series by model. */
  readonly model?: string;
  /** Absent when the server exports no GPU metrics. */
  readonly gpu?: string;
}

/** GPU gauges, when the server exports them. */
export interface GpuMetrics {
  /** Utilization as a 0.0-1.0 ratio. */
  readonly utilization: MetricRef;
  readonly memoryUsedBytes: MetricRef;
  readonly memoryTotalBytes: MetricRef;
  readonly powerWatts?: MetricRef;
  readonly powerLimitWatts?: MetricRef;
}

/** Everything the query module needs to know about one server's metrics. */
export interface MetricsProfile {
  /** Short id, used in dashboard uids and error messages (`triton`, `batcher`). */
  readonly id: string;
  /** Human name, used in titles (`NVIDIA Triton`). */
  readonly displayName: string;
  readonly labels: ProfileLabels;
  /** A series every scraped target exports from start-up, used to list job / instance / model values. */
  readonly discoveryMetric: string;
  readonly requests: {
    readonly success: MetricRef;
    readonly failure: MetricRef;
  };
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
  readonly latency: Timing;
  /** Time from request arrival to first response (streaming servers), when exported. */
  readonly firstResponse?: Timing;
  /** Time a request waits before its batch runs. */
  readonly queueTime?: Timing;
  /** Compute time, split into stages where the server reports them. */
  readonly computeTime?: {
    readonly input?: Timing;
    readonly infer: Timing;
    readonly output?: Timing;
  };
  /** Gauge of requests waiting to be executed. */
  readonly pendingRequests?: MetricRef;
  /** Gauge of batches being executed right now. */
  readonly inflightBatches?: MetricRef;
  readonly gpu?: GpuMetrics;
}

/** The durations a profile may describe. */
export type TimingName = 'latency' | 'firstResponse' | 'queueTime' | 'computeInput' | 'computeInfer' | 'computeOutput';

/** Every duration of `profile` by name, `undefined` where its server does not export it: the one list of a profile's timings. */
export function profileTimings(profile: MetricsProfile): Readonly<Record<TimingName, Timing | undefined>> {
  const stages = profile.computeTime;
  return {
    latency: profile.latency,
    firstResponse: profile.firstResponse,
    queueTime: profile.queueTime,
    computeInput: stages?.input,
    computeInfer: stages?.infer,
    computeOutput: stages?.output,
  };
}

/** Thrown when a query asks a profile for something its server does not export. */
export class MissingMetricError extends Error {
  constructor(profile: MetricsProfile, what: string) {
    super(`profile "${profile.id}" has no ${what} metric`);
    this.name = 'MissingMetricError';
  }
}

/** Returns `value`, or throws a {@link MissingMetricError} naming what is missing. */
export function required<T>(profile: MetricsProfile, value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingMetricError(profile, what);
  return value;
}
