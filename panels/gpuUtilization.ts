import type * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import { gpuUtilization as gpuUtilizationQuery, profileOf, type GpuQueryOptions } from '../queries/index.js';
import { gaugePanel, gpuSelection, inPanel, legendFormat, type PanelOptions, target } from './common.js';
import { checkOptions } from '../queries/options.js';

/** Options of the GPU panels: any panel option, and the server whose GPUs to show (`servedBy`). */
export interface GpuPanelOptions extends PanelOptions, GpuQueryOptions {}

/**
 * GPU utilization gauge (0-100 %), the average of the selected GPUs unless `groupBy` splits it
 * (`['instance', 'gpu']` for one gauge per GPU). DCGM's percent is read as a 0-1 ratio.
 * Defaults: unit `percentunit`, green under 50 %, yellow to 80 %, red above, 8 x 8.
 */
export function gpuUtilization(options: GpuPanelOptions = {}): gauge.PanelBuilder {
  checkOptions('gpuUtilization', options);
  return inPanel(options, 'GPU utilization', () => {
    const query = gpuUtilizationQuery({ groupBy: [], ...options });
    const metric = profileOf(options).gpu?.utilization;
    const source = metric?.scale === 0.01 ? `${metric.name}, percent read as a 0-1 ratio` : `${metric?.name}, a 0-1 ratio`;
    return gaugePanel(options, {
      title: 'GPU utilization',
      description:
        `Share of time the GPU was busy (${source}), averaged over ${gpuSelection(options)}. ` +
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
