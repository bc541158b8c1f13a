// The dynamic batcher dashboard of the dynamic batcher guide, with the service's request logs
// (Loki) and traces (Tempo) of the LLM observability guide.
import { batcherDashboard } from 'inferboard';

export default batcherDashboard({ folder: 'Inference', logs: true, traces: true });
