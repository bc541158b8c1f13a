// Not valid TypeScript.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ uid: 'x' ;
