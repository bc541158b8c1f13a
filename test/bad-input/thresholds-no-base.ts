// Thresholds without the null base step.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 't', title: 'T', panels: [requestRate({ thresholds: [{ value: 1, color: 'red' }] })] });
