import { promql } from './commonjs.js';
import { type Expression, guardedRatio, orZero, promQuery, summedIncrease, summedRate } from './promql.js';
import { grouping, profileOf, type PromQuery, type QueryOptions } from './selectors.js';

/** Which requests to count. */
export type Outcome = 'success' | 'failure' | 'all';

/** Options of the request queries. */
export interface RequestQueryOptions extends QueryOptions {
  /** Default `success`. */
  readonly outcome?: Outcome;
}

type Aggregate = typeof summedRate;

/**
 * Success, failure or both, summed per group. A labelled counter exists only after its first
 * increment, so each side reads 0 where only the other has a series: a batcher that failed every
 * request since start-up has no success series, and its success rate is 0, its error ratio 100 %.
 */
function requests(outcome: Outcome, aggregate: Aggregate, by: string[], options: QueryOptions): Expression {
  const { success, failure } = profileOf(options).requests;
  const rawSuccesses = aggregate(success, 'model', by, options);
  const rawFailures = aggregate(failure, 'model', by, options);
  const successes = orZero(rawSuccesses, rawFailures);
  const failures = orZero(rawFailures, rawSuccesses);
  if (outcome === 'success') return successes;
  return outcome === 'failure' ? failures : promql.add(successes, failures);
}

/** Requests per second, per model by default: `sum by (model) (rate(...))`. */
export function requestRate(options: RequestQueryOptions = {}): PromQuery {
  const by = grouping(options, ['model']);
  return promQuery(requests(options.outcome ?? 'success', summedRate, by, options), by);
}

/**
 * Requests counted over the window, default the dashboard's whole time range (`$__range`):
 * `increase()`, never the raw counter, which restarts with the server.
 */
export function requestCount(options: RequestQueryOptions = {}): PromQuery {
  const withRange = { window: '$__range', ...options };
  const by = grouping(withRange, []);
  return promQuery(requests(options.outcome ?? 'success', summedIncrease, by, withRange), by);
}

/** Failed requests as a fraction (0-1) of all requests, per model by default. */
export function errorRatio(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['model']);
  const failures = requests('failure', summedRate, by, options);
  const all = requests('all', summedRate, by, options);
  return promQuery(guardedRatio(failures, all), by);
}
