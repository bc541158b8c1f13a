import { promql } from './commonjs.js';
import { required } from './profile.js';
import { guardedRatio, oneMinus, promQuery, sumBy, summedIncrease, summedRate } from './promql.js';
import { grouping, profileOf, rangeSelector, type PromQuery, type QueryOptions } from './selectors.js';
import { averageRunningRequests } from './llm.js';

function batchingOf(options: QueryOptions) {
  const profile = profileOf(options);
  return required(profile, profile.batching, 'batching');
}

/** What a batch is counted in: requests, or inferences (a request may carry several items). */
export type BatchCount = 'requests' | 'inferences';

/**
 * What a batch-size figure of `profile` counts: inferences or requests per execution where the
 * server counts executions (a dynamic batcher), else the requests running at each engine step
 * (a continuous-batching LLM server).
 */
export function batchSizeMeasure(options: BatchingQueryOptions): BatchCount | 'running requests' {
  const profile = profileOf(options);
  return !profile.batching && profile.runningRequests ? 'running requests' : batchCount(options, 'inferences');
}

/** Options of the batching ratios. */
export interface BatchingQueryOptions extends QueryOptions {
  /** Count requests or inferences per execution. Default per query; where the profile has no inference counter, requests. */
  readonly counts?: BatchCount;
}

/** What a ratio counts: `counts`, else `defaultCount`; requests where the profile counts no inferences apart from them. */
export function batchCount(options: BatchingQueryOptions, defaultCount: BatchCount): BatchCount {
  return (options.counts ?? defaultCount) === 'inferences' && profileOf(options).batching?.inferences ? 'inferences' : 'requests';
}

/** The counter of what the executions served, in the unit {@link batchCount} gives. */
function servedBy(options: BatchingQueryOptions, defaultCount: BatchCount) {
  const batching = batchingOf(options);
  return (batchCount(options, defaultCount) === 'inferences' && batching.inferences) || batching.requests;
}

/**
 * Average batch size, per model by default: inferences (or, with `counts: 'requests'`, requests)
 * per model execution, `sum(rate(served)) / (sum(rate(executions)) > 0)`. 1 means no batching.
 * A continuous-batching server counts no executions: there, the requests running at each step.
 */
export function averageBatchSize(options: BatchingQueryOptions = {}): PromQuery {
  if (batchSizeMeasure(options) === 'running requests') return averageRunningRequests(options);
  const { executions } = batchingOf(options);
  const by = grouping(options, ['model']);
  return promQuery(
    guardedRatio(summedRate(servedBy(options, 'inferences'), 'model', by, options), summedRate(executions, 'model', by, options)),
    by,
  );
}

/**
 * Batching efficiency (0-1): the share of model executions the dynamic batcher saved,
 * `1 - executions / requests` (the Triton guide's definition); with `counts: 'inferences'`,
 * `1 - executions / inferences`, which also credits batches the clients sent. 0 means every
 * request ran alone; 0.75 means four requests per execution.
 */
export function batchingEfficiency(options: BatchingQueryOptions = {}): PromQuery {
  const { executions } = batchingOf(options);
  const by = grouping(options, ['model']);
  const executionsPerServed = guardedRatio(
    summedRate(executions, 'model', by, options),
    summedRate(servedBy(options, 'requests'), 'model', by, options),
  );
  return promQuery(oneMinus(executionsPerServed), by);
}

/** Batch executions per second (GPU calls on Triton), per model by default. */
export function executionRate(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['model']);
  return promQuery(summedRate(batchingOf(options).executions, 'model', by, options), by);
}

/** Batch executions over the window, default the dashboard's time range (`$__range`). */
export function executionCount(options: QueryOptions = {}): PromQuery {
  const withRange = { window: '$__range', ...options };
  const by = grouping(withRange, []);
  return promQuery(summedIncrease(batchingOf(options).executions, 'model', by, withRange), by);
}

/**
 * Batches per batch-size bucket in each interval, for a heatmap whose cells are the query's
 * steps: `sum by (le) (increase(..._bucket[$__interval]))`. The window is the step, so each cell
 * counts its own batches and the cells of a view add up to the total. Needs a batch-size
 * histogram (the dynamic batcher has one, Triton does not).
 */
export function batchSizeDistribution(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const histogram = required(profile, batchingOf(options).sizeHistogram, 'batch size histogram');
  const by = grouping(options, []);
  const perCell = { window: '$__interval', ...options };
  const buckets = promql.increase(rangeSelector({ name: `${histogram}_bucket` }, 'model', perCell));
  return promQuery(sumBy(['le', ...by], buckets), by);
}
