/**
 * Recording rules for the rate queries of the panels: each counter's per-second rate summed by
 * job, instance and model. Panels built with `recorded: true` read these series instead.
 */
import * as promql from '@grafana/promql-builder';
import { defaultRecordingWindow, recordedCounters, recordedName, tritonMetrics, type MetricsProfile } from '../queries/index.js';
import type { RecordingRule, RuleGroup } from './rule.js';

/** Options of {@link recordingRules}. */
export interface RecordingRuleOptions {
  /** Default Triton. */
  readonly profile?: MetricsProfile;
  /** Rule group name. Default `inferboard-<profile id>-recording`. */
  readonly groupName?: string;
}

/** The recording rules behind `recorded: true` panels of `profile`. */
export function recordingRules(options: RecordingRuleOptions = {}): RuleGroup {
  const profile = options.profile ?? tritonMetrics;
  const rules: RecordingRule[] = recordedCounters(profile).map(({ metric, levels }) => ({
    record: recordedName(levels, metric),
    expr: promql.toString(
      promql.sum(promql.rate(new promql.VectorExprBuilder().metric(metric).range(defaultRecordingWindow))).by([...levels]).build(),
    ),
  }));
  return { name: options.groupName ?? `inferboard-${profile.id}-recording`, rules };
}

/** The names of the series a set of rule groups records. */
export function recordedSeries(groups: readonly RuleGroup[]): Set<string> {
  return new Set(groups.flatMap((group) => group.rules.flatMap((rule) => ('record' in rule ? [rule.record] : []))));
}
