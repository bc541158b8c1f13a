// A folder name with a slash.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: 'team/inference' });
