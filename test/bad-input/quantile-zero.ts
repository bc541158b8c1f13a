// A quantile of 0.
import { dashboard, latency } from 'inferboard';

export default dashboard({ uid: 'q', title: 'Q', panels: [latency({ quantiles: [0] })] });
