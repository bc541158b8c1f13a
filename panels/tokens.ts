import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { prefixCacheHitRatio, tokenRate, vllmMetrics } from '../queries/index.js';
import { inPanel, type PanelOptions, seriesTarget, timeseriesPanel, withProfile } from './common.js';
import { checkOptions } from '../queries/options.js';

/**
 * Prompt (input) and generated (output) tokens per second, per model.
 * Defaults: vLLM, unit `short` (tokens/s), 12 x 8.
 */
export function tokenThroughput(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('tokenThroughput', options);
  return inPanel(options, 'Token throughput', () => {
    const profiled = withProfile(options, vllmMetrics);
    return timeseriesPanel(profiled, {
      title: 'Token throughput',
      description:
        'Prompt tokens processed and output tokens generated per second, per model: sum(rate(...)). ' +
        'Counted when a request finishes on servers that count per request (a long generation lands at its end). ' +
        'Good: generation throughput rising with load. Bad: flat while requests wait (the engine is saturated).',
      unit: 'short',
      width: 12,
      height: 8,
    })
      .withTarget(seriesTarget(tokenRate('prompt', profiled), 'A', profiled, 'prompt tokens/s'))
      .withTarget(seriesTarget(tokenRate('generation', profiled), 'B', profiled, 'generated tokens/s'));
  });
}

/**
 * Share of prompt tokens served from the prefix cache, per model.
 * Defaults: vLLM, unit `percentunit`, 12 x 8.
 */
export function prefixCacheHitRate(options: PanelOptions = {}): timeseries.PanelBuilder {
  checkOptions('prefixCacheHitRate', options);
  return inPanel(options, 'Prefix cache hit rate', () => {
    const profiled = withProfile(options, vllmMetrics);
    return timeseriesPanel(profiled, {
      title: 'Prefix cache hit rate',
      description:
        'Prompt tokens found in the prefix cache / prompt tokens looked up, per model, exact over the window: their prefill is skipped. ' +
        'Good: high for chat and shared system prompts. Bad: dropping while traffic stays the same (the cache is evicted: the KV cache is too small).',
      unit: 'percentunit',
      width: 12,
      height: 8,
    }).withTarget(seriesTarget(prefixCacheHitRatio(profiled), 'A', profiled));
  });
}
