import { promql } from './commonjs.js';
import { promQuery } from './promql.js';
import { grouping, selector, type PromQuery, type QueryOptions } from './selectors.js';

const up = { name: 'up' };

/** Scrape targets Prometheus cannot reach: `up == 0`, one series per instance. */
export function targetsDown(options: QueryOptions = {}): PromQuery {
  return promQuery(promql.eq(selector(up, 'target', options), promql.n(0)), ['job', 'instance']);
}

/**
 * Healthy scrape targets, per job by default: `count(up == 1)`, or 0 when none is up (a plain
 * count would return nothing, and an alert on it would never fire).
 */
export function healthyTargets(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, []);
  const healthy = promql.count(promql.eq(selector(up, 'target', options), promql.n(1)));
  const counted = by.length > 0 ? healthy.by([...by]) : healthy;
  return promQuery(by.length > 0 ? counted : promql.or(counted, promql.vect(0)), by);
}
