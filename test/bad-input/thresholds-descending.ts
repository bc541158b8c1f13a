// Thresholds out of order.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 't', title: 'T', panels: [requestRate({ thresholds: [{ value: null, color: 'green' }, { value: 5, color: 'red' }, { value: 1, color: 'yellow' }] })] });
