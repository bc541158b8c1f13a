import type * as table from '@grafana/grafana-foundation-sdk/table';
import { averageBatchSize, executionCount, requestCount, type PromQuery } from '../queries/index.js';
import { inPanel, type PanelOptions, refId, tablePanel, target } from './common.js';
import { sdk } from '../queries/commonjs.js';
import { checkOptions } from '../queries/options.js';

/**
 * One row per model over the dashboard's time range: requests, failures, executions and average
 * batch size. Sortable by any column. 24 x 8.
 */
export function modelSummary(options: PanelOptions = {}): table.PanelBuilder {
  checkOptions('modelSummary', options);
  return inPanel(options, 'Model summary', () => {
    const overRange = { groupBy: ['model'], ...options, window: '$__range' };
    // Every column is a count, so one unit serves all: Grafana's schema has no string-valued overrides.
    const columns: { name: string; query: PromQuery }[] = [
      { name: 'Requests', query: requestCount({ ...overRange, outcome: 'success' }) },
      { name: 'Failures', query: requestCount({ ...overRange, outcome: 'failure' }) },
      { name: 'Executions', query: executionCount(overRange) },
      { name: 'Avg batch size', query: averageBatchSize(overRange) },
    ];
    const panel = tablePanel(options, {
      title: 'Model summary',
      description: 'Per model over the selected time range: totals from increase(), batch size from their ratio.',
      unit: 'short',
      width: 24,
      height: 8,
    })
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({
        id: 'organize',
        options: {
          excludeByName: { Time: true },
          renameByName: Object.fromEntries(columns.map((column, index) => [`Value #${refId(index)}`, column.name])),
        },
      })
      .sortBy([new sdk.common.TableSortByFieldStateBuilder().displayName('Requests').desc(true)]);
    columns.forEach((column, index) => {
      panel.withTarget(target(column.query, refId(index), '', { instant: true, format: sdk.prometheus.PromQueryFormat.Table }));
    });
    return panel;
  });
}
