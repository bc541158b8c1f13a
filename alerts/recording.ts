/**
 * Recording rules for the rate queries of the panels: each counter's per-second rate summed by
 * job, instance and model over four scrape intervals, evaluated at every scrape. Panels built
 * with `recorded: true` (and the same `scrapeInterval`) read these series instead.
 */
import { promql } from '../queries/commonjs.js';
import {
  defaultScrapeInterval,
  isRecordedRateName,
  recordedCounters,
  recordedName,
  recordingWindow,
  sloErrorRatioSeries,
  sloSliceSeries,
  tritonMetrics,
  type MetricsProfile,
} from '../queries/index.js';
import type { RecordingRule, RuleGroup } from './rule.js';
import { checkOptions } from '../queries/options.js';

/**
 * Whether `name` is a series inferboard's own rules record (`recordingRules`, `sloRules`): a
 * panel reading one needs those rules exported. Any other name, colons or not (vLLM's
 * `vllm:num_requests_running`), is what an exporter or the user's own rules provide.
 */
export function isOwnRecordedName(name: string): boolean {
  return name === sloErrorRatioSeries || name === sloSliceSeries || isRecordedRateName(name);
}

/** Options of {@link recordingRules}. */
export interface RecordingRuleOptions {
  /** Default Triton. */
  readonly profile?: MetricsProfile;
  /** Rule group name. Default `inferboard-<profile id>-recording`. */
  readonly groupName?: string;
  /** Prometheus's scrape interval of the series; the rules rate over four of them and run at each. Default `15s`. */
  readonly scrapeInterval?: string;
}

/** The recording rules behind `recorded: true` panels of `profile`. */
export function recordingRules(options: RecordingRuleOptions = {}): RuleGroup {
  checkOptions('recordingRules', options);
  const profile = options.profile ?? tritonMetrics;
  const scrapeInterval = options.scrapeInterval ?? defaultScrapeInterval;
  const window = recordingWindow(scrapeInterval);
  const rules: RecordingRule[] = recordedCounters(profile).map(({ metric, levels }) => ({
    record: recordedName(levels, metric, window),
    expr: promql.toString(
      promql
        .sum(promql.rate(new promql.VectorExprBuilder().metric(metric).range(window)))
        .by([...levels])
        .build(),
    ),
  }));
  // Evaluated at every scrape, so a panel's window averages at least four recorded rates.
  return { name: options.groupName ?? `inferboard-${profile.id}-recording`, interval: scrapeInterval, rules };
}

/** The series a set of rule groups records: each name with the fixed labels of each rule that writes it. */
export function recordedSeries(groups: readonly RuleGroup[]): Map<string, Readonly<Record<string, string>>[]> {
  const series = new Map<string, Readonly<Record<string, string>>[]>();
  for (const rule of groups.flatMap((group) => group.rules)) {
    if ('record' in rule) series.set(rule.record, [...(series.get(rule.record) ?? []), rule.labels ?? {}]);
  }
  return series;
}
