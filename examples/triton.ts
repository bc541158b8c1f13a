// The Triton dashboard of the Triton guide, provisioned into the "Inference" folder, reading the
// recorded rates of rules.ts (same numbers as the raw counters, cheaper on a large fleet).
import { tritonDashboard } from 'inferboard';

export default tritonDashboard({ folder: 'Inference', recorded: true });
