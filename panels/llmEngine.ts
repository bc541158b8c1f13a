import type * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  kvCacheUsage as kvCacheUsageQuery,
  pendingRequests,
  preemptions as preemptionsQuery,
  profileOf,
  runningRequests as runningRequestsQuery,
  vllmMetrics,
} from '../queries/index.js';
import {
  gaugePanel,
  inPanel,
  legendFormat,
  type PanelOptions,
  seriesTarget,
  target,
  timeseriesPanel,
  withProfile,
} from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Requests running in the engine's batch and requests waiting for a place, per model (gauges).
 * Defaults: vLLM, unit `short`, 12 x 8.
 */
export function runningRequests(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('runningRequests', options);
  return inPanel(options, 'Running and waiting requests', () => {
    const profiled = withProfile(options, vllmMetrics);
    return timeseriesPanel(profiled, {
      title: 'Running and waiting requests',
      description:
        'Requests in the running batch and requests waiting to be scheduled, per model, read from gauges. ' +
        'Good: waiting near 0. Bad: waiting growing while running stays flat (the batch or the KV cache is full).',
      unit: 'short',
      width: 12,
      height: 8,
    })
      .withTarget(seriesTarget(runningRequestsQuery(profiled), 'A', profiled, 'running'))
      .withTarget(seriesTarget(pendingRequests(profiled), 'B', profiled, 'waiting'));
  });
}

/**
 * KV cache in use (0-1), per model and instance: the fullest engine of each. A gauge panel.
 * Defaults: vLLM, unit `percentunit`, green under 80 %, yellow to 95 %, red above, 8 x 8.
 */
export function kvCacheUsage(options: PanelOptions = {}): gauge.PanelBuilder {
  checkOptions('kvCacheUsage', options);
  return inPanel(options, 'KV cache usage', () => {
    const profiled = withProfile(options, vllmMetrics);
    const query = kvCacheUsageQuery(profiled);
    const metric = profileOf(profiled).kvCacheUsage?.name ?? '';
    return gaugePanel(profiled, {
      title: 'KV cache usage',
      description:
        `Share of the KV cache in use (${metric}, 0-1), the fullest engine per model and instance. ` +
        'Good: high under load, the engine packs requests into it. Bad: pinned near 100 % with requests waiting or preempted.',
      unit: 'percentunit',
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.8, color: 'yellow' },
        { value: 0.95, color: 'red' },
      ],
      width: 8,
      height: 8,
    })
      .min(0)
      .max(1)
      .withTarget(target(query, 'A', legendFormat(query.by)));
  });
}

/**
 * Preempted requests per model: preemptions per second where the server counts them (vLLM,
 * SGLang's retractions), else requests paused now (TensorRT-LLM). Defaults: vLLM, 12 x 8.
 */
export function preemptions(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('preemptions', options);
  return inPanel(options, 'Preemptions', () => {
    const profiled = withProfile(options, vllmMetrics);
    const query = preemptionsQuery(profiled);
    const counted = query.kind === 'counter';
    return timeseriesPanel(profiled, {
      title: counted ? 'Preemptions' : 'Paused requests',
      description:
        (counted
          ? 'Requests preempted per second, per model: the engine ran out of KV cache and evicted a running request, to recompute it later. '
          : 'Requests paused now, per model: the engine ran out of KV cache. ') +
        'Good: 0. Bad: any sustained value (a larger KV cache, fewer concurrent requests or shorter outputs).',
      unit: counted ? 'ops' : 'short',
      thresholds: [
        { value: null, color: 'green' },
        { value: 0.01, color: 'red' },
      ],
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(query, 'A', profiled));
  });
}
