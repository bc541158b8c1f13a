// Exports a dashboard, but not as the default export.
import { tritonDashboard } from 'inferboard';

export const triton = tritonDashboard();
