import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { averageBatchSize } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';

/**
 * Average dynamic batch size per model: items per batch execution.
 * Defaults: unit `short`, a dashed reference line at 2, 12 x 8.
 */
export function batchSize(options: PanelOptions = {}): timeseries.PanelBuilder {
  return inPanel(options, 'Average batch size', () => {
    const query = averageBatchSize(options);
    return timeseriesPanel(options, {
      title: 'Average batch size',
      description:
        'Inferences per model execution: rate(inference count) / rate(execution count), per model. ' +
        'Good: above 2 (batching works). Bad: about 1 (no batching; raise load or max_queue_delay_microseconds).',
      unit: 'short',
      thresholds: [
        { value: null, color: 'red' },
        { value: 2, color: 'green' },
      ],
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
