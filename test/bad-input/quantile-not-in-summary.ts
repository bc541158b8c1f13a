// A quantile Triton's summary does not export.
import { dashboard, latency } from 'inferboard';

export default dashboard({ uid: 'q', title: 'Q', panels: [latency({ quantiles: [0.97] })] });
