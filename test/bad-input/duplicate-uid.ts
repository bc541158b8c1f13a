// Two dashboards with one uid: Grafana would keep only one.
import { batcherDashboard, tritonDashboard } from 'inferboard';

export default [tritonDashboard({ uid: 'same' }), batcherDashboard({ uid: 'same' })];
