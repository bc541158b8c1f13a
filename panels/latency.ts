import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  averageDuration,
  durationOf,
  durationQuantile,
  isApproximate,
  profileOf,
  vllmMetrics,
  type ObservationUnit,
  type TimingName,
} from '../queries/index.js';
import { inPanel, type PanelOptions, refId, seriesTarget, type Threshold, timeseriesPanel, withProfile } from './common.js';
import { checkOptions } from '../queries/options.js';

/** Options of the duration panels: {@link latency} and the LLM ones ({@link timeToFirstToken}, ...). */
export interface LatencyPanelOptions extends PanelOptions {
  /** Quantiles to draw. Default per panel, where the server exports quantiles; none (the mean only) where it does not. */
  readonly quantiles?: readonly number[];
  /** Also draw the mean (duration counter / observation counter). Default `true`. */
  readonly average?: boolean;
  /**
   * Which duration {@link latency} draws: end-to-end `latency` (default) or `firstResponse`
   * (Triton 26.01+ histogram, enable with `createTritonProfile({ firstResponseHistogram: true })`).
   */
  readonly timing?: Extract<TimingName, 'latency' | 'firstResponse'>;
}

/** `0.95` -> `P95`, `0.999` -> `P99.9`. */
export function quantileName(quantile: number): string {
  return `P${Number((quantile * 100).toPrecision(6))}`;
}

const perObservation: Record<ObservationUnit, string> = {
  request: 'per request',
  batch: 'per batch (engine step)',
  token: 'per output token',
};

/** What a duration panel says and shows by default. */
interface DurationPanel {
  readonly timing: TimingName;
  /** Title before the quantile names: `Time to first token`. */
  readonly title: string;
  /** What is measured, one sentence. */
  readonly what: string;
  /** What good and bad look like. */
  readonly good: string;
  readonly quantiles: readonly number[];
  readonly thresholds?: readonly Threshold[];
}

/**
 * A time series of one duration of the profile: its quantiles (histogram: over all instances;
 * summary: the worst instance) and its mean, in seconds. Where the server measures it not at
 * all but the profile approximates it (TGI's time to first token), the approximate mean, said so
 * in the title, legend and description.
 */
function durationPanel(options: LatencyPanelOptions, panel: DurationPanel): timeseries.PanelBuilder {
  const duration = durationOf(profileOf(options), panel.timing);
  if (isApproximate(duration)) {
    if (options.quantiles?.length)
      throw new Error(
        `${profileOf(options).displayName} has no quantiles of it, only an approximation of its mean (${duration.approximation})`,
      );
    return timeseriesPanel(options, {
      title: `${panel.title} (approximation)`,
      description:
        `${panel.what} ${profileOf(options).displayName} does not measure it: this is an approximation of its mean, ` +
        `${duration.approximation}. ${panel.good}`,
      unit: 's',
      thresholds: panel.thresholds,
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(averageDuration(panel.timing, options), 'AVG', options, '≈ mean'));
  }
  const source = duration.quantiles;
  const quantiles = options.quantiles ?? (source ? panel.quantiles : []);
  const names = quantiles.map(quantileName);
  const origin =
    quantiles.length === 0
      ? `${profileOf(options).displayName} exports no quantiles of it: the mean only.`
      : source?.kind === 'summary'
        ? `${names.join('/')} from the ${source.name} summary: per-process quantiles cannot be averaged, so each line is the worst instance (max).`
        : `${names.join('/')} from the ${source?.name ?? ''} histogram (histogram_quantile over all instances).`;
  const mean = options.average === false ? '' : `avg = duration counter / ${duration.per} counter.`;
  const built = timeseriesPanel(options, {
    title: `${panel.title} ${names.join(' / ') || 'average'}`,
    description: [panel.what, `Seconds ${perObservation[duration.per]}.`, origin, mean, duration.note ?? '', panel.good]
      .filter((part) => part !== '')
      .join(' '),
    unit: 's',
    thresholds: panel.thresholds,
    width: 12,
    height: 8,
  });
  quantiles.forEach((quantile, index) => {
    const line = seriesTarget(durationQuantile(panel.timing, quantile, options), refId(index), options, names[index]);
    // A histogram's buckets carry exemplars: a point on the line opens the trace of a request it counts.
    built.withTarget(source?.kind === 'histogram' ? line.exemplar(true) : line);
  });
  if (options.average !== false) built.withTarget(seriesTarget(averageDuration(panel.timing, options), 'AVG', options, 'avg'));
  return built;
}

const requestLatencyLines: readonly Threshold[] = [
  { value: null, color: 'green' },
  { value: 0.5, color: 'yellow' },
  { value: 2, color: 'red' },
];

/**
 * Request latency quantiles (P50/P95 by default) and mean, per model, in seconds.
 * Defaults: unit `s`, reference lines at 0.5 s (yellow) and 2 s (red), 12 x 8.
 */
export function latency(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('latency', options);
  const timing = options.timing ?? 'latency';
  const title = timing === 'latency' ? 'Request latency' : 'Time to first response';
  return inPanel(options, title, () =>
    durationPanel(options, {
      timing,
      title,
      what: `${timing === 'latency' ? 'End-to-end request latency' : 'Time to first response'} per model.`,
      good: 'Good: P50 under 100 ms, P95 under 500 ms. Bad: P95 above 2 s.',
      quantiles: [0.5, 0.95],
      thresholds: requestLatencyLines,
    }),
  );
}

/**
 * Time to first token (TTFT) per model: P50/P95/P99 and the mean, from the server's histogram;
 * on TGI, which has none, an approximation of the mean. Defaults: vLLM, unit `s`, reference
 * lines at 0.5 s and 2 s, 12 x 8.
 */
export function timeToFirstToken(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('timeToFirstToken', options);
  return inPanel(options, 'Time to first token', () =>
    durationPanel(withProfile(options, vllmMetrics), {
      timing: 'firstResponse',
      title: 'Time to first token',
      what: 'Time from a request reaching the server to its first output token (TTFT), per model: what a chat user waits for.',
      good: 'Good: P95 under 500 ms for chat. Bad: above 2 s, or climbing with the waiting queue (prefill backlog, KV cache full).',
      quantiles: [0.5, 0.95, 0.99],
      thresholds: requestLatencyLines,
    }),
  );
}

/**
 * Time per output token after the first (inter-token latency, ITL) per model: P50/P95/P99 and
 * the mean. Defaults: vLLM, unit `s`, reference lines at 50 ms and 100 ms, 12 x 8.
 */
export function interTokenLatency(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('interTokenLatency', options);
  return inPanel(options, 'Inter-token latency', () =>
    durationPanel(withProfile(options, vllmMetrics), {
      timing: 'interToken',
      title: 'Inter-token latency',
      what: 'Time between output tokens of a streamed response (time per output token), per model.',
      good: 'Good: under 50 ms (a stream faster than people read). Bad: above 100 ms, or rising with the running batch.',
      quantiles: [0.5, 0.95, 0.99],
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.05, color: 'yellow' },
        { value: 0.1, color: 'red' },
      ],
    }),
  );
}

/**
 * End-to-end request latency per model: P50/P95/P99 and the mean, from the server's histogram
 * (the mean only where it has none). Defaults: vLLM, unit `s`, 12 x 8.
 */
export function endToEndLatency(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('endToEndLatency', options);
  return inPanel(options, 'End-to-end latency', () =>
    durationPanel(withProfile(options, vllmMetrics), {
      timing: 'latency',
      title: 'End-to-end latency',
      what: 'Time from a request reaching the server to its last token, per model; it grows with the output length.',
      good: 'Good: steady for a steady mix of requests. Bad: climbing while output lengths do not (queueing, preemptions).',
      quantiles: [0.5, 0.95, 0.99],
    }),
  );
}

/**
 * Time a request waits before it is scheduled, per model: P50/P95 and the mean. Defaults: vLLM,
 * unit `s`, reference lines at 0.1 s and 1 s, 12 x 8.
 */
export function requestQueueTime(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('requestQueueTime', options);
  return inPanel(options, 'Request queue time', () =>
    durationPanel(withProfile(options, vllmMetrics), {
      timing: 'queueTime',
      title: 'Request queue time',
      what: 'Time a request waits in the queue before the engine schedules it, per model.',
      good: 'Good: near 0. Bad: growing, with requests waiting (the engine is full: more replicas or a larger KV cache).',
      quantiles: [0.5, 0.95],
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.1, color: 'yellow' },
        { value: 1, color: 'red' },
      ],
    }),
  );
}

/**
 * Time the model spends computing, per model: P50/P95/P99 and the mean where the server
 * exports a histogram of it (the batcher's `model.predict()` time, per batch), the mean where it
 * does not (Triton's compute-infer counter, per request). Defaults: Triton, unit `s`, 12 x 8.
 */
export function inferenceTime(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('inferenceTime', options);
  return inPanel(options, 'Inference time', () =>
    durationPanel(options, {
      timing: 'computeInfer',
      title: 'Inference time',
      what: 'Time in the model itself (compute), per model, without queueing.',
      good: 'Good: steady, P99 close to P50. Bad: P99 far above P50 (GPU contention, cold caches) or growing with batch size.',
      quantiles: [0.5, 0.95, 0.99],
    }),
  );
}

/**
 * Mean prefill time (the prompt) and decode time (the output) per model, and their P95 where
 * the server exports histograms: per request on vLLM, per engine step on TGI. Defaults: vLLM,
 * unit `s`, 12 x 8.
 */
export function prefillDecodeTime(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('prefillDecodeTime', options);
  return inPanel(options, 'Prefill and decode time', () => {
    const profiled = withProfile(options, vllmMetrics);
    const profile = profileOf(profiled);
    const phases = (['prefill', 'decode'] as const).map((timing) => ({ timing, duration: durationOf(profile, timing) }));
    const per = phases.map(({ timing, duration }) =>
      isApproximate(duration) ? `${timing}: ${duration.approximation}` : `${timing} ${perObservation[duration.per]}`,
    );
    const panel = timeseriesPanel(profiled, {
      title: 'Prefill and decode time',
      description:
        `Mean time in prefill (processing the prompt) and in decode (generating the output), in seconds: ${per.join('; ')}. ` +
        'P95 where the server exports histograms. Good: prefill short next to decode. Bad: prefill growing (long prompts, no prefix cache hits).',
      unit: 's',
      width: 12,
      height: 8,
    });
    phases.forEach(({ timing, duration }, index) => {
      panel.withTarget(seriesTarget(averageDuration(timing, profiled), refId(2 * index), profiled, `${timing} avg`));
      const source = isApproximate(duration) ? undefined : duration.quantiles;
      if (source?.kind === 'histogram') {
        panel.withTarget(
          seriesTarget(durationQuantile(timing, 0.95, profiled), refId(2 * index + 1), profiled, `${timing} P95`).exemplar(true),
        );
      }
    });
    return panel;
  });
}
