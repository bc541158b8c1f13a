import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import { executionCount, requestCount, type PromQuery } from '../queries/index.js';
import { inPanel, legendFormat, type PanelDefaults, type PanelOptions, statPanel, target } from './common.js';
import { checkOptions } from '../queries/options.js';

function total(
  query: PromQuery,
  options: PanelOptions,
  defaults: Omit<PanelDefaults, 'unit' | 'width' | 'height'>,
): stat.PanelBuilder {
  return statPanel(options, { unit: 'short', width: 6, height: 4, ...defaults }).withTarget(
    target(query, 'A', legendFormat(query.by), { instant: true }),
  );
}

/** Successful requests over the dashboard's time range (`increase`, not the raw counter). 6 x 4. */
export function totalRequests(options: PanelOptions = {}): stat.PanelBuilder {
  checkOptions('totalRequests', options);
  return inPanel(options, 'Successful requests', () => {
    return total(requestCount({ ...options, outcome: 'success' }), options, {
      title: 'Successful requests',
      description: 'Successful requests in the selected time range: sum(increase(...[$__range])).',
    });
  });
}

/** Failed requests over the dashboard's time range; red from the first failure. 6 x 4. */
export function totalFailures(options: PanelOptions = {}): stat.PanelBuilder {
  checkOptions('totalFailures', options);
  return inPanel(options, 'Failed requests', () => {
    return total(requestCount({ ...options, outcome: 'failure' }), options, {
      title: 'Failed requests',
      description: 'Failed requests in the selected time range. Good: 0.',
      thresholds: [
        { value: null, color: 'green' },
        { value: 1, color: 'red' },
      ],
    });
  });
}

/** Model executions (GPU calls) over the dashboard's time range. 6 x 4. */
export function totalExecutions(options: PanelOptions = {}): stat.PanelBuilder {
  checkOptions('totalExecutions', options);
  return inPanel(options, 'Model executions', () => {
    return total(executionCount(options), options, {
      title: 'Model executions',
      description: 'Batch executions in the selected time range: fewer than requests when batching works.',
    });
  });
}
