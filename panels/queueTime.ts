import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { profileOf, queueTime as queueTimeQuery, timingOf } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/** Mean time a request waits for its batch, per model. Defaults: unit `s`, 12 x 8. */
export function queueTime(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('queueTime', options);
  return inPanel(options, 'Queue time', () => {
    const query = queueTimeQuery(options);
    const timing = timingOf(profileOf(options), 'queueTime');
    const source = `rate(${timing.total.name}) / rate(${timing.count.name})`;
    return timeseriesPanel(options, {
      title: 'Queue time',
      description:
        `Average time a request waits before its batch executes (${source}). ` +
        'It grows with max_queue_delay: more waiting buys bigger batches. Bad: growing while batch size does not.',
      unit: 's',
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', options));
  });
}
