/**
 * Names and levels of the recorded series that recording rules write and panels can read
 * instead of raw counters: `job_instance_model:nv_inference_count:rate1m` is
 * `sum by (job, instance, model) (rate(nv_inference_count[1m]))`. The window is four scrape
 * intervals (1m at 15 s), the floor of Grafana's `$__rate_interval`, so every view can read it.
 */
import { defaultScrapeInterval, minimumWindow } from './durations.js';
import { profileTimings, type MetricRef, type MetricsProfile } from './profile.js';

/** The window recorded rates use for series scraped every `scrapeInterval`: four scrapes. */
export function recordingWindow(scrapeInterval: string = defaultScrapeInterval): string {
  return minimumWindow(scrapeInterval);
}

/** One counter to record: its name and the labels its recorded rate keeps. */
export interface RecordedCounter {
  readonly metric: string;
  readonly levels: readonly string[];
}

/** Labels a recorded rate keeps: job, instance, model (where the profile has it), the metric's matcher labels, then `extra`. */
export function recordingLevels(profile: MetricsProfile, metric: MetricRef, extra: readonly string[] = []): string[] {
  const { job, instance, model } = profile.labels;
  return [...new Set([job, instance, ...(model ? [model] : []), ...Object.keys(metric.matchers ?? {}), ...extra])];
}

/** `levels:metric:rate<window>`, Prometheus's naming convention for recording rules. */
export function recordedName(levels: readonly string[], metric: string, window: string = recordingWindow()): string {
  return `${levels.join('_')}:${metric}:rate${window}`;
}

const recordedRateName = /^[a-z_]+:[A-Za-z_]\w*:rate(\d+(ms|s|m|h|d|w|y))+$/;

/** Whether `name` has the shape {@link recordedName} gives (`job_instance_model:nv_inference_count:rate1m`). */
export function isRecordedRateName(name: string): boolean {
  return recordedRateName.test(name);
}

/** Every counter a rate panel of `profile` reads, with its levels; histogram buckets keep `le`. */
export function recordedCounters(profile: MetricsProfile): RecordedCounter[] {
  const counters = new Map<string, RecordedCounter>();
  const add = (metric: MetricRef, extra: readonly string[] = []) => {
    const levels = recordingLevels(profile, metric, extra);
    counters.set(`${levels.join('_')}:${metric.name}`, { metric: metric.name, levels });
  };
  add(profile.requests.success);
  add(profile.requests.failure);
  if (profile.batching) {
    add(profile.batching.requests);
    if (profile.batching.inferences) add(profile.batching.inferences);
    add(profile.batching.executions);
  }
  for (const timing of Object.values(profileTimings(profile))) {
    if (!timing) continue;
    add(timing.total);
    add(timing.count);
    if (timing.quantiles?.kind === 'histogram') add({ name: `${timing.quantiles.name}_bucket` }, ['le']);
  }
  return [...counters.values()];
}
