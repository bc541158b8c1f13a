import type * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import { gpuUtilization as gpuUtilizationQuery } from '../queries/index.js';
import { gaugePanel, inPanel, legendFormat, type PanelOptions, target } from './common.js';

/**
 * GPU utilization gauge (0-100 %), the average of the selected GPUs unless `groupBy` splits it
 * (`['instance', 'gpu']` for one gauge per GPU).
 * Defaults: unit `percentunit`, green under 50 %, yellow to 80 %, red above, 8 x 8.
 */
export function gpuUtilization(options: PanelOptions = {}): gauge.PanelBuilder {
  return inPanel(options, 'GPU utilization', () => {
    const query = gpuUtilizationQuery({ groupBy: [], ...options });
    return gaugePanel(options, {
      title: 'GPU utilization',
      description:
        'Share of time the GPU was busy (nv_gpu_utilization, a 0-1 ratio), averaged over the GPUs selected by $instance and $gpu. ' +
        'Green under 50 %: underutilized. Yellow 50-80 %: good. Red above 80 %: at capacity.',
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.5, color: 'yellow' },
        { value: 0.8, color: 'red' },
      ],
      width: 8,
      height: 8,
    })
      .min(0)
      .max(1)
      .withTarget(target(query, 'A', legendFormat(query.by)));
  });
}
