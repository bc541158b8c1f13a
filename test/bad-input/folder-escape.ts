// A folder name that would escape the output tree.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: '../outside' });
