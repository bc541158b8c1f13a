// A dashboard reading recorded series while the build generates no recording rules.
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ uid: 'recorded', recorded: true });
