import { promql } from './commonjs.js';
import { required } from './profile.js';
import { guardedRatio, oneMinus, promQuery, sumBy, summedIncrease, summedRate } from './promql.js';
import { grouping, profileOf, rangeSelector, type PromQuery, type QueryOptions } from './selectors.js';

function batchingOf(options: QueryOptions) {
  const profile = profileOf(options);
  return required(profile, profile.batching, 'batching');
}

/**
 * Average dynamic batch size, per model by default: items processed per batch execution,
 * `sum(rate(items)) / (sum(rate(executions)) > 0)`. 1 means requests are not being batched.
 */
export function averageBatchSize(options: QueryOptions = {}): PromQuery {
  const { items, batches } = batchingOf(options);
  const by = grouping(options, ['model']);
  return promQuery(guardedRatio(summedRate(items, 'model', by, options), summedRate(batches, 'model', by, options)), by);
}

/**
 * Batching efficiency (0-1): the share of model executions that batching saved,
 * `1 - executions / items`. 0 means no batching; 0.8 means five items per execution.
 */
export function batchingEfficiency(options: QueryOptions = {}): PromQuery {
  const { items, batches } = batchingOf(options);
  const by = grouping(options, ['model']);
  const executionsPerItem = guardedRatio(summedRate(batches, 'model', by, options), summedRate(items, 'model', by, options));
  return promQuery(oneMinus(executionsPerItem), by);
}

/** Batch executions per second (GPU calls on Triton), per model by default. */
export function executionRate(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['model']);
  return promQuery(summedRate(batchingOf(options).batches, 'model', by, options), by);
}

/** Batch executions over the window, default the dashboard's time range (`$__range`). */
export function executionCount(options: QueryOptions = {}): PromQuery {
  const withRange = { window: '$__range', ...options };
  const by = grouping(withRange, []);
  return promQuery(summedIncrease(batchingOf(options).batches, 'model', by, withRange), by);
}

/**
 * Batches per batch-size bucket over each window: `sum by (le) (increase(..._bucket[...]))`,
 * for a heatmap. Needs a batch-size histogram (the dynamic batcher has one, Triton does not).
 */
export function batchSizeDistribution(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const histogram = required(profile, batchingOf(options).sizeHistogram, 'batch size histogram');
  const by = grouping(options, []);
  const buckets = promql.increase(rangeSelector({ name: `${histogram}_bucket` }, 'model', options));
  return promQuery(sumBy(['le', ...by], buckets), by);
}
