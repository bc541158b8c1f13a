// Prometheus rules, written to prometheus/rules/: the default alerts for Triton and the dynamic
// batcher, and the recording rules that `recorded: true` dashboards read.
import { batcherAlerts, batcherMetrics, recordingRules, tritonAlerts } from 'inferboard';

const runbookBaseUrl = 'https://runbooks.example.com/inference';

export default [
  tritonAlerts({ runbookBaseUrl }),
  batcherAlerts({ runbookBaseUrl }),
  recordingRules(),
  recordingRules({ profile: batcherMetrics }),
];
