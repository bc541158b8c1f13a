import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { errorRatio, profileOf } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Failed requests as a share of all requests, per model.
 * Defaults: unit `percentunit`, thresholds yellow at 1 %, red at 5 %, 12 x 8.
 */
export function errorRate(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('errorRate', options);
  return inPanel(options, 'Error rate', () => {
    const query = errorRatio(options);
    const meaning = profileOf(options).requests?.failureMeaning;
    return timeseriesPanel(options, {
      title: 'Error rate',
      description:
        'Failed requests / all requests, per model (0 while nothing failed). ' +
        (meaning
          ? `Failed: ${meaning}. Good: 0 %. Bad: above 1 %.`
          : 'Good: 0 %. Bad: above 1 %; on Triton the failure counter has a reason label (REJECTED, CANCELED, BACKEND, OTHER).'),
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.01, color: 'yellow' },
        { value: 0.05, color: 'red' },
      ],
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
