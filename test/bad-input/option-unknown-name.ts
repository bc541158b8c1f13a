// A typo of an option name: quantile for quantiles.
import { dashboard, latency } from 'inferboard';

export default dashboard({ uid: 'o', title: 'O', panels: [latency({ quantile: [0.5, 0.99] } as never)] });
