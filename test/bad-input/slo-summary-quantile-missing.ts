// Triton's summaries export 0.5, 0.9, 0.95, 0.99 and 0.999 by default, not 0.98.
import { serviceLevelObjective, sloRules } from 'inferboard';

export default sloRules([
  serviceLevelObjective({ name: 'latency', objective: 99, indicator: { kind: 'latency', thresholdSeconds: 2, statistic: 0.98 } }),
]);
