import { promql } from './commonjs.js';
import { required, type MetricRef, type MetricsProfile } from './profile.js';
import { promQuery, scaled, sumBy, withPreviousNames, type Expression } from './promql.js';
import { grouping, profileOf, selector, type PromQuery, type QueryOptions } from './selectors.js';

/**
 * A gauge's series with the scheduler replicas folded: where every rank of one scheduler
 * reports the same state (SGLang's `tp_rank`), the largest of them, once.
 */
export function withoutReplicas(profile: MetricsProfile, expr: Expression): Expression {
  const replicas = profile.labels.replicas ?? [];
  return replicas.length > 0 ? promql.max(expr).without([...replicas]) : expr;
}

/** `sum by (labels)` of a model-level gauge, replicas folded, older names read, scaled to its unit. */
export function summedGauge(metric: MetricRef, labels: readonly string[], options: QueryOptions): Expression {
  const profile = profileOf(options);
  const summed = withPreviousNames(metric, (each) => sumBy(labels, withoutReplicas(profile, selector(each, 'model', options))));
  return scaled(summed, metric);
}

/**
 * Requests waiting to be scheduled (Triton's pending request count, the batcher's queue size,
 * vLLM's `num_requests_waiting`), summed per model by default. A gauge: read as is, never
 * through `rate()`.
 */
export function pendingRequests(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const by = grouping(options, ['model']);
  return promQuery(summedGauge(required(profile, profile.pendingRequests, 'pending requests'), by, options), by);
}

/** Requests running now (a continuous-batching server's batch), summed per model by default. */
export function runningRequests(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const by = grouping(options, ['model']);
  return promQuery(summedGauge(required(profile, profile.runningRequests, 'running requests'), by, options), by);
}

/** Batches executing right now, summed per instance by default. */
export function inflightBatches(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const by = grouping(options, ['instance']);
  return promQuery(summedGauge(required(profile, profile.inflightBatches, 'inflight batches'), by, options), by);
}

/**
 * The KV cache in use, a 0-1 ratio, per model and instance by default: the fullest engine of
 * each (`max`), since a ratio cannot be summed and one full engine is what preempts requests.
 */
export function kvCacheUsage(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const metric = required(profile, profile.kvCacheUsage, 'KV cache usage');
  const by = grouping(options, ['model', 'instance']);
  const fullest = withPreviousNames(metric, (each) => {
    const max = promql.max(selector(each, 'model', options));
    return by.length > 0 ? max.by([...by]) : max;
  });
  return promQuery(scaled(fullest, metric), by);
}
