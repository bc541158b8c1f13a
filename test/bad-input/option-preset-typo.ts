// A preset's option misspelled, from JavaScript (no tsc to catch it).
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: 'Inference', refesh: '1m' } as never);
