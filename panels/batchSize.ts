import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { averageBatchSize, batchSizeMeasure, type BatchCount } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/** Options of {@link batchSize} and {@link batchingEfficiency}. */
export interface BatchingPanelOptions extends PanelOptions {
  /**
   * Count inferences (batch items; a request may carry several) or requests per execution.
   * Default: inferences for the batch size, requests for the batching efficiency.
   */
  readonly counts?: BatchCount;
}

/**
 * Average dynamic batch size per model: inferences (default) or requests per model execution.
 * Defaults: unit `short`, a dashed reference line at 2, 12 x 8.
 */
export function batchSize(options: BatchingPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('batchSize', options);
  const counts = batchSizeMeasure(options);
  return inPanel(options, `Average batch size (${counts})`, () => {
    const query = averageBatchSize(counts === 'running requests' ? options : { ...options, counts });
    const what = {
      inferences:
        'Inferences per model execution: rate(inferences) / rate(executions), per model; a request of 4 items counts 4. ',
      requests:
        'Requests per model execution: rate(requests) / rate(executions), per model: the batches the dynamic batcher formed. ',
      'running requests':
        'Requests in the running batch at each engine step (a continuous-batching server counts no executions): the running-requests gauge averaged over the window, per model. ',
    }[counts];
    const advice =
      counts === 'running requests'
        ? 'Good: well above 1 under load. Bad: about 1 with requests waiting (KV cache or max_num_seqs too small).'
        : 'Good: above 2 (batching works). Bad: about 1 (no batching; raise load or max_queue_delay_microseconds).';
    return timeseriesPanel(options, {
      title: `Average batch size (${counts})`,
      description: what + advice,
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
