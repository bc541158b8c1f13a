// Dashboard JSON whose refresh is a number, not a duration string.
import { tritonDashboard } from 'inferboard';

export default { ...tritonDashboard().build(), uid: 'wrong-type', refresh: 5 };
