// Two rule groups with one name: the second file would overwrite the first.
import { batcherAlerts, tritonAlerts } from 'inferboard';

export default [tritonAlerts({ groupName: 'inference' }), batcherAlerts({ groupName: 'inference' })];
