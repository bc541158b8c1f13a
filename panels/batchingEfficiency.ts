import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import { batchCount, batchingEfficiency as batchingEfficiencyQuery } from '../queries/index.js';
import type { BatchingPanelOptions } from './batchSize.js';
import { inPanel, legendFormat, statPanel, target } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Batching efficiency over the dashboard's time range: the share of model executions the
 * dynamic batcher saved, `1 - executions / requests` (the Triton guide), or with `counts: 'inferences'`
 * `1 - executions / inferences`. Defaults: unit `percentunit`, red under 30 %, yellow to 50 %,
 * green above, dark green above 70 %, 6 x 4.
 */
export function batchingEfficiency(options: BatchingPanelOptions = {}): stat.PanelBuilder {
  checkOptions('batchingEfficiency', options);
  const counts = batchCount(options, 'requests');
  return inPanel(options, `Batching efficiency (${counts})`, () => {
    const query = batchingEfficiencyQuery({ groupBy: [], window: '$__range', ...options, counts });
    const what =
      counts === 'requests'
        ? 'Share of model executions the dynamic batcher saved over the time range: 1 - executions / requests. ' +
          '0 % means every request ran alone; 75 % means four requests per execution. Items a client batched into one request do not count. '
        : 'Share of model executions saved over the time range, counting inferences: 1 - executions / inferences. ' +
          'It also credits items clients batched into one request: 75 % may mean four-item requests and no server-side batching. ';
    return statPanel(options, {
      title: `Batching efficiency (${counts})`,
      description: `${what}Good: above 50 %. Great: above 70 %.`,
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'red' },
        { value: 0.3, color: 'yellow' },
        { value: 0.5, color: 'green' },
        { value: 0.7, color: 'dark-green' },
      ],
      width: 6,
      height: 4,
    }).withTarget(target(query, 'A', legendFormat(query.by), { instant: true }));
  });
}
