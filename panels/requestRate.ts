import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { requestRate as requestRateQuery } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';

/**
 * Successful and failed requests per second, one line each per model.
 * Defaults: unit `reqps`, 12 x 8.
 */
export function requestRate(options: PanelOptions = {}): timeseries.PanelBuilder {
  return inPanel(options, 'Request rate', () => {
    const success = requestRateQuery({ ...options, outcome: 'success' });
    const failure = requestRateQuery({ ...options, outcome: 'failure' });
    return timeseriesPanel(options, {
      title: 'Request rate',
      description:
        'Successful and failed inference requests per second: sum(rate(...)) per model. ' +
        'Good: a steady rate and no failures. Bad: failures, or an erratic rate.',
      unit: 'reqps',
      width: 12,
      height: 8,
    })
      .withTarget(seriesTarget(success, 'A', options, 'success'))
      .withTarget(seriesTarget(failure, 'B', options, 'failure'));
  });
}
