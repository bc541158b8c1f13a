import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { computeTime as computeTimeQuery, profileOf, type ComputeStage } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Mean compute time per model, one line per stage the server reports (Triton: input, infer,
 * output; the batcher: infer, per batch). Defaults: unit `s`, 12 x 8.
 */
export function computeTime(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('computeTime', options);
  return inPanel(options, 'Compute time', () => {
    const stages = profileOf(options).computeTime;
    const reported = (['input', 'infer', 'output'] as const).filter((stage: ComputeStage) => stages?.[stage] !== undefined);
    const per = stages?.infer.per === 'batch' ? 'per batch' : 'per request';
    const panel = timeseriesPanel(options, {
      title: 'Compute time',
      description:
        `Average model compute time ${per}, by stage (${reported.join(', ') || 'infer'}). ` +
        'Use it to find slow models; infer should dominate. Bad: input/output rivalling infer (data copies).',
      unit: 's',
      width: 12,
      height: 8,
    });
    // computeTimeQuery throws a clear error when the profile has no compute time at all.
    for (const [index, stage] of (reported.length > 0 ? reported : (['infer'] as const)).entries()) {
      const query = computeTimeQuery(stage, options);
      panel.withTarget(seriesTarget(query, 'ABC'[index] ?? 'A', options, stage));
    }
    return panel;
  });
}
