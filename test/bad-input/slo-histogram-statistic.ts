// A histogram counts requests under the threshold; a quantile statistic makes no sense there.
import { batcherMetrics, serviceLevelObjective, sloRules } from 'inferboard';

export default sloRules([
  serviceLevelObjective({
    name: 'api-latency',
    objective: 99,
    profile: batcherMetrics,
    indicator: { kind: 'latency', thresholdSeconds: 0.5, statistic: 0.99 },
  }),
]);
