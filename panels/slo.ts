import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  burnRate as burnRateQuery,
  errorBudgetRemaining as errorBudgetRemainingQuery,
  serviceLevel as serviceLevelQuery,
  type ServiceLevelObjective,
} from '../queries/index.js';
import { inPanel, legendFormat, type PanelOptions, refId, seriesTarget, statPanel, target, timeseriesPanel } from './common.js';

/** Options of the SLO panels; query options other than `templateVariables` come from the objective. */
export type SloPanelOptions = Omit<PanelOptions, 'profile' | 'groupBy' | 'filters' | 'window' | 'recorded'>;

/** Options of {@link burnRate} and {@link serviceLevel}. */
export interface SloWindowPanelOptions extends SloPanelOptions {
  /** Recorded windows to draw. Default `['1h', '6h']` (burn rate) or `['1h']` (service level). */
  readonly windows?: readonly string[];
}

const recorded = (options: SloPanelOptions) => ({ templateVariables: options.templateVariables });

/**
 * Share of the period's error budget left, per model: 100 % untouched, 0 % spent.
 * Defaults: unit `percentunit`, red below 0, yellow below 25 %, 6 x 6.
 */
export function errorBudgetRemaining(slo: ServiceLevelObjective, options: SloPanelOptions = {}): stat.PanelBuilder {
  return inPanel(options, `${slo.name}: error budget remaining`, () => {
    const query = errorBudgetRemainingQuery(slo, recorded(options));
    return statPanel(options, {
      title: `${slo.name}: error budget remaining`,
      description:
        `Objective: ${slo.description} over ${slo.period} (budget: ${slo.errorBudget} of ${slo.method === 'events' ? 'requests' : 'the time'}). ` +
        `1 - error ratio over ${slo.period} / budget, from the recorded ${slo.period} window. Below 0 % the objective is missed.`,
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'red' },
        { value: 0, color: 'yellow' },
        { value: 0.25, color: 'green' },
      ],
      width: 6,
      height: 6,
    }).withTarget(target(query, 'A', legendFormat(query.by), { instant: true }));
  });
}

/**
 * Burn rate per window: 1x spends the budget exactly over the period. Reference lines at the
 * page thresholds 6x and 14.4x; the `topSeries` fastest-burning models per window. Defaults:
 * windows 1h and 6h, 9 x 6.
 */
export function burnRate(slo: ServiceLevelObjective, options: SloWindowPanelOptions = {}): timeseries.PanelBuilder {
  return inPanel(options, `${slo.name}: burn rate`, () => {
    const windows = options.windows ?? ['1h', '6h'];
    const panel = timeseriesPanel(options, {
      title: `${slo.name}: burn rate`,
      description:
        `Error ratio / error budget (${slo.errorBudget}) over each window. 1x uses the ${slo.period} budget exactly; ` +
        'pages fire above 14.4x (1h and 5m) and 6x (6h and 30m), tickets above 3x and 1x.',
      unit: 'suffix:x',
      thresholds: [
        { value: null, color: 'green' },
        { value: 1, color: 'yellow' },
        { value: 6, color: 'orange' },
        { value: 14.4, color: 'red' },
      ],
      width: 9,
      height: 6,
    });
    windows.forEach((window, index) => {
      const query = burnRateQuery(slo, window, recorded(options));
      panel.withTarget(seriesTarget(query, refId(index), options, window));
    });
    return panel;
  });
}

/**
 * The indicator against the objective: share of good requests (or minutes) per window, with
 * the target as a reference line; the `topSeries` lowest models per window. Defaults: window 1h, 9 x 6.
 */
export function serviceLevel(slo: ServiceLevelObjective, options: SloWindowPanelOptions = {}): timeseries.PanelBuilder {
  return inPanel(options, `${slo.name}: SLI vs objective`, () => {
    const windows = options.windows ?? ['1h'];
    const panel = timeseriesPanel(options, {
      title: `${slo.name}: SLI vs objective`,
      description: `Objective: ${slo.description}. The line is the target ${slo.target}; below it the budget burns.`,
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'red' },
        { value: Number(slo.target), color: 'green' },
      ],
      width: 9,
      height: 6,
    })
      // One more decimal than the target has in percent, so 99.9 % and 99.95 % read apart.
      .decimals(Math.max(0, slo.target.length - 3));
    windows.forEach((window, index) => {
      const query = serviceLevelQuery(slo, window, recorded(options));
      // The models furthest below the objective, not the best ones.
      panel.withTarget(seriesTarget(query, refId(index), options, window, 'smallest'));
    });
    return panel;
  });
}
