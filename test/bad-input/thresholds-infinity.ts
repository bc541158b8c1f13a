// An infinite threshold.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 't', title: 'T', panels: [requestRate({ thresholds: [{ value: null, color: 'green' }, { value: Infinity, color: 'red' }] })] });
