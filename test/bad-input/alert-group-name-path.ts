// A rule group name that would escape prometheus/rules/.
import { tritonAlerts } from 'inferboard';

export default tritonAlerts({ groupName: '../../etc/passwd' });
