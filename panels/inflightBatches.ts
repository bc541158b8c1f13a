import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { batcherMetrics, inflightBatches as inflightBatchesQuery } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Batches executing right now (a gauge), per instance. Triton has no such gauge, so the
 * default profile here is the dynamic batcher's. Defaults: unit `short`, 12 x 8.
 */
export function inflightBatches(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('inflightBatches', options);
  return inPanel(options, 'Inflight batches', () => {
    const query = inflightBatchesQuery({ profile: batcherMetrics, ...options });
    return timeseriesPanel(options, {
      title: 'Inflight batches',
      description: 'Batches being processed right now: the processing concurrency. Bad: pinned at the worker limit.',
      unit: 'short',
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
