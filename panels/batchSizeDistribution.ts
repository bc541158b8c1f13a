import type * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import { batcherMetrics, batchSizeDistribution as batchSizeDistributionQuery, minimumWindow } from '../queries/index.js';
import { heatmapPanel, inPanel, type PanelOptions, target } from './common.js';
import { sdk } from '../queries/commonjs.js';
import { checkOptions } from '../queries/options.js';

/**
 * Heatmap of batches per batch-size bucket over time, each cell counting the batches of its own
 * interval. Cells span at least four scrape intervals (`scrapeInterval`, default 15 s), so each
 * holds enough samples. It needs a batch-size histogram, which Triton lacks, so the default
 * profile here is the dynamic batcher's. 12 x 8.
 */
export function batchSizeDistribution(options: PanelOptions = {}): heatmap.PanelBuilder {
  checkOptions('batchSizeDistribution', options);
  return inPanel(options, 'Batch size distribution', () => {
    const query = batchSizeDistributionQuery({ profile: batcherMetrics, ...options });
    return heatmapPanel(options, {
      title: 'Batch size distribution',
      description:
        'Batches per batch-size bucket (requests per batch) in each cell: increase of the histogram buckets over the cell, so the cells add up to all batches of the view. ' +
        'Good: mass at large sizes under load. Bad: everything in the size-1 bucket.',
      unit: 'short',
      width: 12,
      height: 8,
    })
      .interval(minimumWindow(options.scrapeInterval))
      .withTarget(target(query, 'A', '{{le}}', { format: sdk.prometheus.PromQueryFormat.Heatmap }));
  });
}
