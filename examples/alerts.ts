// The default alert rules for Triton and the dynamic batcher, written to prometheus/rules/.
import { batcherAlerts, tritonAlerts } from 'inferboard';

export default [
  tritonAlerts({ runbookBaseUrl: 'https://runbooks.example.com/inference' }),
  batcherAlerts({ runbookBaseUrl: 'https://runbooks.example.com/inference' }),
];
