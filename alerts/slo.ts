/**
 * SLO rules: recording rules for each objective's error ratio per window (the window is a
 * label), and multi-window, multi-burn-rate alerts as in Google's SRE workbook.
 */
import Big from 'big.js';
import { promql } from '../queries/commonjs.js';
import {
  durationSeconds,
  recordedErrorRatio,
  sloErrorRatio,
  sloErrorRatioSeries,
  sloSliceIndicator,
  sloSliceSeries,
  type ServiceLevelObjective,
} from '../queries/index.js';
import { alertRule, type AlertRule, type RecordingRule, type RuleGroup, type Severity } from './rule.js';

/** One burn-rate alert: fires while both windows burn the budget `factor` times too fast. */
export interface BurnRateWindow {
  readonly long: string;
  readonly short: string;
  readonly factor: number;
  readonly severity: Severity;
}

/**
 * The SRE workbook's windows for a 30-day period: page (critical) at 2 % of the budget in 1 h
 * or 5 % in 6 h, ticket (warning) at 10 % in 1 d or 10 % in 3 d.
 */
export const defaultBurnRateWindows: readonly BurnRateWindow[] = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'critical' },
  { long: '6h', short: '30m', factor: 6, severity: 'critical' },
  { long: '1d', short: '2h', factor: 3, severity: 'warning' },
  { long: '3d', short: '6h', factor: 1, severity: 'warning' },
];

/** Options of {@link sloRules}. */
export interface SloRuleOptions {
  /** Rule group name. Default `inferboard-slo`. */
  readonly groupName?: string;
  /** Default {@link defaultBurnRateWindows}. */
  readonly windows?: readonly BurnRateWindow[];
  /** Alert name; the `slo` label tells objectives apart. Default `ErrorBudgetBurn`. */
  readonly alertName?: string;
  /** Base URL of the runbooks; alerts link `<base>#<alert name in lowercase>`. */
  readonly runbookBaseUrl?: string;
  /** Evaluation interval of the group; also the length of a time slice. Default Prometheus's global one. */
  readonly interval?: string;
  /** Prometheus's scrape interval: a time slice's average reads rates over four of them. Default `15s`. */
  readonly scrapeInterval?: string;
}

/** Exact decimal text (`0.0144`, never `0.014400000000000001`). */
const decimal = (value: Big): string => value.toFixed();

/** `50h`, `5d`: how long a budget lasts at a burn rate, for the alert description. */
function humanDuration(seconds: Big): string {
  const hours = seconds.div(3600);
  return hours.mod(24).eq(0) ? `${decimal(hours.div(24))}d` : `${decimal(hours.round(1))}h`;
}

/** Every window an objective needs recorded: the alerts' windows and its period, shortest first. */
export function sloWindows(slo: ServiceLevelObjective, windows: readonly BurnRateWindow[] = defaultBurnRateWindows): string[] {
  const all = new Set([...windows.flatMap((window) => [window.short, window.long]), slo.period]);
  return [...all].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/** The recording rules of one objective: its slice judgement (time slices) and its error ratio per window. */
export function sloRecordingRules(
  slo: ServiceLevelObjective,
  windows: readonly BurnRateWindow[] = defaultBurnRateWindows,
  scrapeInterval?: string,
): RecordingRule[] {
  const slices: RecordingRule[] =
    slo.method === 'timeslices'
      ? [{ record: sloSliceSeries, expr: sloSliceIndicator(slo, scrapeInterval), labels: { slo: slo.name } }]
      : [];
  return [
    ...slices,
    ...sloWindows(slo, windows).map((window) => ({
      record: sloErrorRatioSeries,
      expr: sloErrorRatio(slo, window).expr,
      labels: { slo: slo.name, window },
    })),
  ];
}

/** The burn-rate alerts of one objective, one per window pair. */
export function burnRateAlerts(slo: ServiceLevelObjective, options: SloRuleOptions = {}): AlertRule[] {
  const name = options.alertName ?? 'ErrorBudgetBurn';
  const model = slo.by.length > 0 ? ` on {{ $labels.${slo.by[0]} }}` : '';
  const periodSeconds = new Big(durationSeconds(slo.period));
  const ratio = (range: string) => recordedErrorRatio(slo, range, { templateVariables: false });
  return (options.windows ?? defaultBurnRateWindows).map((window) => {
    const limit = new Big(window.factor).times(slo.errorBudget);
    const threshold = Number(decimal(limit));
    // `max without (window)` keeps the alert's labels free of the window it happened to read.
    const long = promql.gt(promql.max(ratio(window.long)).without(['window']), promql.n(threshold));
    const short = promql.gt(ratio(window.short), promql.n(threshold));
    const factor = decimal(new Big(window.factor));
    return alertRule({
      name,
      expression: promql.and(long, short).ignoring(['window']),
      severity: window.severity,
      labels: { slo: slo.name, long_window: window.long, short_window: window.short, burn_rate: factor },
      summary: `SLO ${slo.name}${model} burns its error budget ${factor}x too fast`,
      description:
        `{{ $value | humanizePercentage }} of ${slo.method === 'events' ? 'requests' : 'the time'} missed "${slo.description}" over ${window.long}, ` +
        `and over ${window.short} still more than ${decimal(limit.times(100))} %; ` +
        `at ${factor}x the ${slo.period} budget lasts ${humanDuration(periodSeconds.div(window.factor))}.`,
      ...(options.runbookBaseUrl ? { runbookUrl: `${options.runbookBaseUrl}#${name.toLowerCase()}` } : {}),
    });
  });
}

/** One rule group for a set of objectives: recording rules first, then the alerts that read them. */
export function sloRules(objectives: readonly ServiceLevelObjective[], options: SloRuleOptions = {}): RuleGroup {
  const names = objectives.map((slo) => slo.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`SLO ${JSON.stringify(repeated)} is defined twice; names label the recorded series`);
  return {
    name: options.groupName ?? 'inferboard-slo',
    ...(options.interval ? { interval: options.interval } : {}),
    rules: [
      ...objectives.flatMap((slo) => sloRecordingRules(slo, options.windows, options.scrapeInterval)),
      ...objectives.flatMap((slo) => burnRateAlerts(slo, options)),
    ],
  };
}
