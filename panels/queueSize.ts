import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { pendingRequests } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/** Requests waiting to be executed (a gauge), per model. Defaults: unit `short`, 12 x 8. */
export function queueSize(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('queueSize', options);
  return inPanel(options, 'Queue size', () => {
    const query = pendingRequests(options);
    return timeseriesPanel(options, {
      title: 'Queue size',
      description:
        'Requests waiting to be executed, read from a gauge. Good: small and flat. Bad: growing (the server cannot keep up).',
      unit: 'short',
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
