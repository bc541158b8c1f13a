/**
 * Names and levels of the recorded series that recording rules write and panels can read
 * instead of raw counters: `job_instance_model:nv_inference_count:rate1m` is
 * `sum by (job, instance, model) (rate(nv_inference_count[1m]))`. The window is four scrape
 * intervals (1m at 15 s), the floor of Grafana's `$__rate_interval`, so every view can read it.
 */
import { defaultScrapeInterval, minimumWindow } from './durations.js';
import { bucketsOf, measuredTimings, type MetricRef, type MetricsProfile } from './profile.js';
import { carriesExtraLabel } from './variables.js';

/** The window recorded rates use for series scraped every `scrapeInterval`: four scrapes. */
export function recordingWindow(scrapeInterval: string = defaultScrapeInterval): string {
  return minimumWindow(scrapeInterval);
}

/** One counter to record: its name and the labels its recorded rate keeps. */
export interface RecordedCounter {
  readonly metric: string;
  readonly levels: readonly string[];
}

/**
 * Labels a recorded rate keeps: job, instance, model (where the profile has it), the profile's
 * extra labels the metric carries, the metric's matcher labels, then `extra`.
 */
export function recordingLevels(profile: MetricsProfile, metric: MetricRef, extra: readonly string[] = []): string[] {
  const { job, instance, model } = profile.labels;
  const extraLabels = model ? (profile.labels.extra ?? []).filter((label) => carriesExtraLabel(label, metric.name)) : [];
  return [
    ...new Set([
      job,
      instance,
      ...(model ? [model] : []),
      ...extraLabels.map((label) => label.label),
      ...Object.keys(metric.matchers ?? {}),
      ...extra,
    ]),
  ];
}

/** `levels:metric:rate<window>`, Prometheus's naming convention for recording rules. */
export function recordedName(levels: readonly string[], metric: string, window: string = recordingWindow()): string {
  return `${levels.join('_')}:${metric}:rate${window}`;
}

// The metric part may hold colons of its own (vLLM's `vllm:prompt_tokens_total`).
const recordedRateName = /^[a-z_]+:[A-Za-z_][\w:]*:rate(\d+(ms|s|m|h|d|w|y))+$/;

/** Whether `name` has the shape {@link recordedName} gives (`job_instance_model:nv_inference_count:rate1m`). */
export function isRecordedRateName(name: string): boolean {
  return recordedRateName.test(name);
}

/** Every counter a rate panel of `profile` reads, with its levels; histogram buckets keep `le`. */
export function recordedCounters(profile: MetricsProfile): RecordedCounter[] {
  const counters = new Map<string, RecordedCounter>();
  const add = (metric: MetricRef | undefined, extra: readonly string[] = []) => {
    if (!metric) return;
    const levels = recordingLevels(profile, metric, extra);
    for (const name of [metric.name, ...(metric.previousNames ?? [])]) {
      counters.set(`${levels.join('_')}:${name}`, { metric: name, levels });
    }
  };
  const { requests, batching, tokens, prefixCache, preemptions, finishReasons } = profile;
  add(requests?.success);
  add(requests?.failure);
  add(requests?.aborted);
  add(requests?.total);
  if (finishReasons) add(finishReasons.metric, [finishReasons.label]);
  add(batching?.requests);
  add(batching?.inferences);
  add(batching?.executions);
  for (const timing of measuredTimings(profile)) {
    add(timing.total);
    add(timing.count);
    if (timing.quantiles?.kind === 'histogram') add(bucketsOf(timing.quantiles), ['le']);
  }
  add(tokens?.prompt);
  add(tokens?.generation);
  add(prefixCache?.hits);
  add(prefixCache?.queries);
  if (preemptions?.kind === 'counter') add(preemptions.metric);
  return [...counters.values()];
}
