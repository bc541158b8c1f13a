import { promql } from './commonjs.js';
import { required, type MetricRef, type MetricsProfile } from './profile.js';
import { type Expression, guardedRatio, orZero, promQuery, summedIncrease, summedRate } from './promql.js';
import { grouping, profileOf, type PromQuery, type QueryOptions } from './selectors.js';

/** Which requests to count: completed, failed, given up by the client (where the server tells), or all. */
export type Outcome = 'success' | 'failure' | 'aborted' | 'all';

/** Options of the request queries. */
export interface RequestQueryOptions extends QueryOptions {
  /** Default `success`. */
  readonly outcome?: Outcome;
}

type Aggregate = typeof summedRate;

function requestsOf(profile: MetricsProfile) {
  return required(profile, profile.requests, 'request count');
}

/**
 * One outcome, summed per group. A labelled counter exists only after its first increment, so
 * each side reads 0 where only another has a series: a batcher that failed every request since
 * start-up has no success series, and its success rate is 0, its error ratio 100 %. Where the
 * server counts every finished request (`total`), that count is the shape every other side is
 * zero-filled against, and successes are, unless counted apart, what is neither failed nor aborted.
 */
function requests(outcome: Outcome, aggregate: Aggregate, by: string[], options: QueryOptions): Expression {
  const profile = profileOf(options);
  const { success, failure, aborted, total } = requestsOf(profile);
  const read = (metric: MetricRef) => aggregate(metric, 'model', by, options);
  const all = total && read(total);
  const raw = { success: success && read(success), failure: read(failure), aborted: aborted && read(aborted) };
  const sides = [raw.success, raw.failure, raw.aborted].filter((side): side is Expression => side !== undefined);
  // `x or (total * 0)`, or without a total `x or (y * 0) or (z * 0)`: zero for every group another side has.
  const zeroFilled = (side: Expression) =>
    all ? orZero(side, all) : sides.filter((other) => other !== side).reduce((expr, other) => orZero(expr, other), side);
  const failures = zeroFilled(raw.failure);
  const aborts = raw.aborted && zeroFilled(raw.aborted);
  const notCompleted = aborts ? promql.add(failures, aborts) : failures;
  const successes = raw.success ? zeroFilled(raw.success) : promql.sub(all as Expression, notCompleted);
  switch (outcome) {
    case 'success':
      return successes;
    case 'failure':
      return failures;
    case 'aborted':
      return required(profile, aborts, 'aborted request');
    case 'all':
      return all ?? promql.add(successes, notCompleted);
    default:
      throw new Error(`invalid outcome ${JSON.stringify(outcome)}: success, failure, aborted or all`);
  }
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

/** Requests the client gave up on (vLLM's `abort`) as a fraction (0-1) of all requests, per model by default. */
export function abortRatio(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['model']);
  const aborted = requests('aborted', summedRate, by, options);
  const all = requests('all', summedRate, by, options);
  return promQuery(guardedRatio(aborted, all), by);
}
