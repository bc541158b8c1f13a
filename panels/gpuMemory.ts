import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { gpuMemoryUsed, gpuMemoryUsedRatio } from '../queries/index.js';
import { inPanel, seriesTarget, timeseriesPanel } from './common.js';
import type { GpuPanelOptions } from './gpuUtilization.js';
import { checkOptions } from '../queries/options.js';

/** Options of {@link gpuMemory}. */
export interface GpuMemoryPanelOptions extends GpuPanelOptions {
  /** `ratio` of total memory (default) or `bytes` used. */
  readonly measure?: 'ratio' | 'bytes';
}

/**
 * GPU memory in use per GPU, as a share of the total (default; used / (used + free) where the
 * exporter reports free memory) or in bytes. Defaults: unit `percentunit` (or `bytes`), red
 * reference line at 90 %, 16 x 8.
 */
export function gpuMemory(options: GpuMemoryPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('gpuMemory', options);
  return inPanel(options, 'GPU memory usage', () => {
    const bytes = options.measure === 'bytes';
    const query = bytes ? gpuMemoryUsed(options) : gpuMemoryUsedRatio(options);
    return timeseriesPanel(options, {
      title: bytes ? 'GPU memory used' : 'GPU memory usage',
      description:
        (bytes ? 'GPU memory in use, bytes, per GPU. ' : 'GPU memory used / total, per GPU. ') +
        'Good: flat. Bad: a steady climb (a leak) or above 90 % (out-of-memory risk). ' +
        'An LLM server reserves most of the memory for its KV cache at start-up: there, flat near its setting is normal.',
      unit: bytes ? 'bytes' : 'percentunit',
      ...(bytes
        ? {}
        : {
            thresholds: [
              { value: null, color: 'green' },
              { value: 0.9, color: 'red' },
            ],
          }),
      width: 16,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
