// A rate window that tries to close the selector.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'w', title: 'W', panels: [requestRate({ window: '5m]) or vector(1) or (up[5m' })] });
