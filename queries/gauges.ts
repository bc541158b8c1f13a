import { required } from './profile.js';
import { promQuery, sumBy } from './promql.js';
import { grouping, profileOf, selector, type PromQuery, type QueryOptions } from './selectors.js';

/**
 * Requests waiting to be executed (Triton's pending request count, the batcher's queue size),
 * summed per model by default. A gauge: read as is, never through `rate()`.
 */
export function pendingRequests(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const by = grouping(options, ['model']);
  return promQuery(sumBy(by, selector(required(profile, profile.pendingRequests, 'pending requests'), 'model', options)), by);
}

/** Batches executing right now, summed per instance by default. */
export function inflightBatches(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const by = grouping(options, ['instance']);
  return promQuery(sumBy(by, selector(required(profile, profile.inflightBatches, 'inflight batches'), 'model', options)), by);
}
