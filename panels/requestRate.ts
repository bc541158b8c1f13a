import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { profileOf, requestRate as requestRateQuery } from '../queries/index.js';
import { colourBySuffix, inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Successful and failed requests per second, one line each per model, and aborted ones where
 * the server counts them apart (vLLM): successes green, failures red, aborts orange.
 * Defaults: unit `reqps`, 12 x 8.
 */
export function requestRate(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('requestRate', options);
  return inPanel(options, 'Request rate', () => {
    const requests = profileOf(options).requests;
    const success = requestRateQuery({ ...options, outcome: 'success' });
    const failure = requestRateQuery({ ...options, outcome: 'failure' });
    const meaning = requests?.failureMeaning ? ` Failed: ${requests.failureMeaning}.` : '';
    const panel = timeseriesPanel(options, {
      title: 'Request rate',
      description:
        `Successful and failed inference requests per second: sum(rate(...)) per model.${meaning} ` +
        'Good: a steady rate and no failures. Bad: failures, or an erratic rate.',
      unit: 'reqps',
      width: 12,
      height: 8,
    })
      .withTarget(seriesTarget(success, 'A', options, 'success'))
      .withTarget(seriesTarget(failure, 'B', options, 'failure'));
    if (requests?.aborted)
      panel.withTarget(seriesTarget(requestRateQuery({ ...options, outcome: 'aborted' }), 'C', options, 'aborted'));
    return colourBySuffix(panel, { success: 'green', failure: 'red', aborted: 'orange' });
  });
}
