// Two dashboards with one title in one folder.
import { tritonDashboard } from 'inferboard';

export default [tritonDashboard({ folder: 'A' }), tritonDashboard({ uid: 'other', folder: 'A' })];
