// The dynamic batcher dashboard of the dynamic batcher guide.
import { batcherDashboard } from 'inferboard';

export default batcherDashboard({ folder: 'Inference' });
