// The Triton dashboard of seed 000, provisioned into the "Inference" folder.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: 'Inference' });
