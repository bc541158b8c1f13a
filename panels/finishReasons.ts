import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { finishReasonRate, profileOf, vllmMetrics } from '../queries/index.js';
import { sdk } from '../queries/commonjs.js';
import { colourBySuffix, inPanel, type PanelOptions, seriesTarget, timeseriesPanel, withProfile } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Finished requests per second by why they finished (vLLM: stop, length, abort, error),
 * stacked, over the selected models (`groupBy: ['model']` splits them).
 * Defaults: vLLM, unit `reqps`, 12 x 8.
 */
export function finishReasons(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('finishReasons', options);
  return inPanel(options, 'Finish reasons', () => {
    const profiled = withProfile({ groupBy: [], ...options }, vllmMetrics);
    const query = finishReasonRate(profiled);
    const label = profileOf(profiled).finishReasons?.label ?? '';
    const panel = timeseriesPanel(profiled, {
      title: 'Finish reasons',
      description:
        `Finished requests per second by ${label}, stacked: stop (the model ended its answer), length (cut at max_tokens), ` +
        'abort (the client went away or cancelled), error (the server failed it). ' +
        'Good: mostly stop. Bad: length growing (answers truncated), abort growing (clients time out), any error.',
      unit: 'reqps',
      width: 12,
      height: 8,
    })
      .stacking(new sdk.common.StackingConfigBuilder().mode(sdk.common.StackingMode.Normal))
      .withTarget(seriesTarget(query, 'A', profiled));
    // The reasons vLLM and SGLang report; other values keep the palette's colours.
    return colourBySuffix(panel, { stop: 'green', length: 'yellow', abort: 'orange', error: 'red' });
  });
}
