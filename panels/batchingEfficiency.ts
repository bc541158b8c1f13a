import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import { batchingEfficiency as batchingEfficiencyQuery } from '../queries/index.js';
import { inPanel, legendFormat, type PanelOptions, statPanel, target } from './common.js';

/**
 * Batching efficiency over the dashboard's time range: `1 - executions / inferences`.
 * Defaults: unit `percentunit`, red under 30 %, yellow to 50 %, green above, 6 x 4.
 */
export function batchingEfficiency(options: PanelOptions = {}): stat.PanelBuilder {
  return inPanel(options, 'Batching efficiency', () => {
    const query = batchingEfficiencyQuery({ groupBy: [], window: '$__range', ...options });
    return statPanel(options, {
      title: 'Batching efficiency',
      description:
        'Share of model executions saved by batching over the time range: 1 - executions / inferences. ' +
        'Good: above 50 %. Great: above 70 %. 0 % means every request ran alone.',
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'red' },
        { value: 0.3, color: 'yellow' },
        { value: 0.5, color: 'green' },
      ],
      width: 6,
      height: 4,
    }).withTarget(target(query, 'A', legendFormat(query.by), { instant: true }));
  });
}
