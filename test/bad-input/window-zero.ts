// A rate over a zero-length window, which Prometheus refuses.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'z', title: 'Z', panels: [requestRate({ window: '0s' })] });
