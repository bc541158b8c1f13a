import { required } from './profile.js';
import { avgBy, guardedRatio, promQuery, sumBy } from './promql.js';
import { grouping, profileOf, selector, type PromQuery, type QueryOptions } from './selectors.js';

function gpuOf(options: QueryOptions) {
  const profile = profileOf(options);
  return required(profile, profile.gpu, 'GPU');
}

/**
 * GPU utilization as a 0-1 ratio (Grafana unit `percentunit`), one series per GPU by default;
 * with a coarser `groupBy`, the average of the GPUs in each group.
 */
export function gpuUtilization(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['instance', 'gpu']);
  return promQuery(avgBy(by, selector(gpuOf(options).utilization, 'gpu', options)), by);
}

/** GPU memory in use, bytes, one series per GPU by default. */
export function gpuMemoryUsed(options: QueryOptions = {}): PromQuery {
  const by = grouping(options, ['instance', 'gpu']);
  return promQuery(sumBy(by, selector(gpuOf(options).memoryUsedBytes, 'gpu', options)), by);
}

/** GPU memory in use as a 0-1 ratio of the total, one series per GPU by default. */
export function gpuMemoryUsedRatio(options: QueryOptions = {}): PromQuery {
  const gpu = gpuOf(options);
  const by = grouping(options, ['instance', 'gpu']);
  const used = sumBy(by, selector(gpu.memoryUsedBytes, 'gpu', options));
  const total = sumBy(by, selector(gpu.memoryTotalBytes, 'gpu', options));
  return promQuery(guardedRatio(used, total), by);
}

/** GPU power draw in watts, one series per GPU by default. */
export function gpuPowerUsage(options: QueryOptions = {}): PromQuery {
  const profile = profileOf(options);
  const power = required(profile, gpuOf(options).powerWatts, 'GPU power');
  const by = grouping(options, ['instance', 'gpu']);
  return promQuery(sumBy(by, selector(power, 'gpu', options)), by);
}
