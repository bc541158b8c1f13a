// The dynamic batcher dashboard of seed 002.
import { batcherDashboard } from 'inferboard';

export default batcherDashboard({ folder: 'Inference' });
