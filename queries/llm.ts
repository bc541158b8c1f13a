/**
 * Queries of LLM serving: tokens per second, the prefix cache, preemptions, why requests
 * finished, and the running batch of a continuous-batching engine.
 */
import { promql } from './commonjs.js';
import { required } from './profile.js';
import { guardedRatio, promQuery, summedRate, sumBy, withPreviousNames } from './promql.js';
import { summedGauge, withoutReplicas } from './gauges.js';
import { grouping, profileOf, rangeSelector, type PromQuery, type QueryOptions } from './selectors.js';

/** Which tokens: the prompt's (input, prefill) or the generated ones (output, decode). */
export type TokenKind = 'prompt' | 'generation';

/** Tokens per second, per model by default: `sum by (model) (rate(tokens))`. */
export function tokenRate(kind: TokenKind, options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const tokens = required(profile, profile.tokens, 'token count');
  const by = grouping(options, ['model']);
  return promQuery(summedRate(tokens[kind], 'model', by, options), by);
}

/**
 * Share (0-1) of prompt tokens served from the prefix cache, per model by default:
 * `sum(rate(hits)) / (sum(rate(queries)) > 0)`, exact over the window.
 */
export function prefixCacheHitRatio(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const cache = required(profile, profile.prefixCache, 'prefix cache');
  const by = grouping(options, ['model']);
  return promQuery(
    guardedRatio(summedRate(cache.hits, 'model', by, options), summedRate(cache.queries, 'model', by, options)),
    by,
  );
}

/**
 * Preempted requests, per model by default: preemptions per second where the server counts
 * them (vLLM, SGLang's retractions), else the requests paused now (TensorRT-LLM's gauge).
 */
export function preemptions(options: QueryOptions = {}): PromQuery & { readonly kind: 'counter' | 'gauge' } {
  const profile = profileOf(options);
  const { metric, kind } = required(profile, profile.preemptions, 'preemption');
  const by = grouping(options, ['model']);
  const expression = kind === 'counter' ? summedRate(metric, 'model', by, options) : summedGauge(metric, by, options);
  return { ...promQuery(expression, by), kind };
}

/** Finished requests per second by why they finished (vLLM: stop, length, abort, error), per model by default. */
export function finishReasonRate(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const { metric, label } = required(profile, profile.finishReasons, 'finish reason');
  const by = [...grouping(options, ['model']), label];
  return promQuery(summedRate(metric, 'model', by, options, [label]), by);
}

/**
 * The running batch of a continuous-batching engine: requests running at each step, averaged
 * over the window (`avg_over_time` of the running-requests gauge), summed per model by default.
 */
export function averageRunningRequests(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const running = required(profile, profile.runningRequests, 'running requests');
  const by = grouping(options, ['model']);
  const expression = withPreviousNames(running, (each) =>
    sumBy(by, withoutReplicas(profile, promql.avgOverTime(rangeSelector(each, 'model', options)))),
  );
  return promQuery(expression, by);
}
