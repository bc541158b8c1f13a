/**
 * Panels of a server's request traces in Tempo.
 */
import type * as table from '@grafana/grafana-foundation-sdk/table';
import { slowTracesQuery, tempoDatasource, type TraceQueryOptions } from '../queries/index.js';
import { sdk } from '../queries/commonjs.js';
import { checkOptions } from '../queries/options.js';
import { inPanel, tablePanel, type PanelOptions } from './common.js';

/** Options of {@link traceSearch}. */
export interface TracePanelOptions extends TraceQueryOptions {
  /** Traces at least this long, in milliseconds. Default 500. */
  readonly minDurationMs?: number;
  /** Most traces listed. Default 20. */
  readonly limit?: number;
  readonly title?: string;
  readonly description?: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * The recent traces of the selected service (`$job`) and model that took at least
 * `minDurationMs`: a TraceQL search of `$tempo`, each row opening its trace. Defaults: over
 * 500 ms, 20 traces, 24 x 8.
 */
export function traceSearch(options: TracePanelOptions = {}): table.PanelBuilder {
  checkOptions('traceSearch', options);
  const minimum = options.minDurationMs ?? 500;
  const panelOptions = options as PanelOptions;
  return inPanel(panelOptions, 'Slow traces', () =>
    tablePanel(panelOptions, {
      source: tempoDatasource,
      title: 'Slow traces',
      description: `Recent requests of the selected service and model that took ${minimum} ms or more, from Tempo (TraceQL). Open one for its spans: queueing, batching, the model.`,
      unit: 'ms',
      width: 24,
      height: 8,
    }).withTarget(
      new sdk.tempo.DataqueryBuilder()
        .datasource(tempoDatasource)
        .refId('A')
        .queryType('traceql')
        .query(slowTracesQuery(options))
        .limit(options.limit ?? 20)
        .tableType(sdk.tempo.SearchTableType.Traces),
    ),
  );
}
