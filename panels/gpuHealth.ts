import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { gpuPowerUsage, gpuTemperature as gpuTemperatureQuery, gpuXidErrors as gpuXidErrorsQuery } from '../queries/index.js';
import { sdk } from '../queries/commonjs.js';
import { gpuSelection, inPanel, legendFormat, seriesTarget, tablePanel, target, timeseriesPanel } from './common.js';
import type { GpuPanelOptions } from './gpuUtilization.js';
import { checkOptions } from '../queries/options.js';

/** Power draw per GPU, watts. Defaults: unit `watt`, 12 x 8. */
export function gpuPower(options: GpuPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('gpuPower', options);
  return inPanel(options, 'GPU power', () =>
    timeseriesPanel(options, {
      title: 'GPU power',
      description:
        `Power draw per GPU in watts, ${gpuSelection(options)}. ` +
        'Good: following the load. Bad: pinned at the power limit while utilization drops (power capping slows the clocks).',
      unit: 'watt',
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(gpuPowerUsage(options), 'A', options)),
  );
}

/** Temperature per GPU, degrees Celsius. Defaults: unit `celsius`, reference lines at 80 and 90 °C, 12 x 8. */
export function gpuTemperature(options: GpuPanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('gpuTemperature', options);
  return inPanel(options, 'GPU temperature', () =>
    timeseriesPanel(options, {
      title: 'GPU temperature',
      description:
        `GPU core temperature in °C, ${gpuSelection(options)}. ` +
        'Good: under 80 °C. Bad: above 85-90 °C, where data-center GPUs slow their clocks (check the cooling).',
      unit: 'celsius',
      thresholds: [
        { value: null, color: 'green' },
        { value: 80, color: 'yellow' },
        { value: 90, color: 'red' },
      ],
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(gpuTemperatureQuery(options), 'A', options)),
  );
}

/** A table of the GPUs whose last XID error is not 0, with the code and message. Defaults: 24 x 6. */
export function gpuXidErrors(options: GpuPanelOptions = {}): table.PanelBuilder {
  checkOptions('gpuXidErrors', options);
  return inPanel(options, 'GPU XID errors', () => {
    const query = gpuXidErrorsQuery(options);
    return tablePanel(options, {
      title: 'GPU XID errors',
      description:
        `GPUs whose driver reported an XID error, ${gpuSelection(options)}, with the last code and its message (DCGM keeps the last one). ` +
        'Good: empty. Bad: any row; XIDs 48, 63, 64, 74, 79, 94 and 95 need the GPU drained (NVIDIA XID catalog), 13 and 31 are usually the application.',
      unit: 'none',
      width: 24,
      height: 6,
    })
      .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'XID' } } })
      .withTarget(target(query, 'A', legendFormat(query.by), { instant: true, format: sdk.prometheus.PromQueryFormat.Table }));
  });
}
