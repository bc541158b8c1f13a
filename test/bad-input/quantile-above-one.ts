// A quantile above 1.
import { dashboard, latency } from 'inferboard';

export default dashboard({ uid: 'q', title: 'Q', panels: [latency({ quantiles: [1.5] })] });
