// The folder "..".
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: '..' });
