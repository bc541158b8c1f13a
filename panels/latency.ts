import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { averageDuration, durationQuantile, profileOf, timingOf, type TimingName } from '../queries/index.js';
import { inPanel, type PanelOptions, refId, seriesTarget, timeseriesPanel } from './common.js';

/** Options of {@link latency}. */
export interface LatencyPanelOptions extends PanelOptions {
  /** Quantiles to draw. Default `[0.5, 0.95]`. */
  readonly quantiles?: readonly number[];
  /** Also draw the mean (duration counter / request counter). Default `true`. */
  readonly average?: boolean;
  /**
   * Which duration: end-to-end `latency` (default) or `firstResponse`
   * (Triton 26.01+ histogram, enable with `createTritonProfile({ firstResponseHistogram: true })`).
   */
  readonly timing?: Extract<TimingName, 'latency' | 'firstResponse'>;
}

/** `0.95` -> `P95`, `0.999` -> `P99.9`. */
export function quantileName(quantile: number): string {
  return `P${Number((quantile * 100).toPrecision(6))}`;
}

/**
 * Request latency quantiles (P50/P95 by default) and mean, per model, in seconds.
 * Defaults: unit `s`, reference lines at 0.5 s (yellow) and 2 s (red), 12 x 8.
 */
export function latency(options: LatencyPanelOptions = {}): timeseries.PanelBuilder {
  return inPanel(options, 'Request latency', () => {
    const name = options.timing ?? 'latency';
    const quantiles = options.quantiles ?? [0.5, 0.95];
    const source = timingOf(profileOf(options), name).quantiles;
    const names = quantiles.map(quantileName);
    const origin =
      source?.kind === 'summary'
        ? `${names.join('/')} from the ${source.name} summary: per-process quantiles cannot be averaged, so each line is the worst instance (max).`
        : `${names.join('/')} from the ${source?.name ?? ''} histogram (histogram_quantile over all instances).`;
    const what = name === 'latency' ? 'End-to-end request latency' : 'Time to first response';
    const panel = timeseriesPanel(options, {
      title: `${name === 'latency' ? 'Request latency' : 'Time to first response'} ${names.join(' / ') || 'average'}`,
      description:
        `${what} per model. ${quantiles.length > 0 ? origin : ''} ` +
        `${options.average === false ? '' : 'avg = duration counter / request counter. '}` +
        'Good: P50 under 100 ms, P95 under 500 ms. Bad: P95 above 2 s.',
      unit: 's',
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.5, color: 'yellow' },
        { value: 2, color: 'red' },
      ],
      width: 12,
      height: 8,
    });
    quantiles.forEach((quantile, index) => {
      const query = durationQuantile(name, quantile, options);
      panel.withTarget(seriesTarget(query, refId(index), options, names[index]));
    });
    if (options.average !== false) {
      const query = averageDuration(name, options);
      panel.withTarget(seriesTarget(query, 'AVG', options, 'avg'));
    }
    return panel;
  });
}
