// An empty folder name.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: '' });
