// A panel NaN rows high.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'h', title: 'H', panels: [requestRate({ height: Number.NaN })] });
