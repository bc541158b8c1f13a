// A panel seven and a half columns wide.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'w', title: 'W', panels: [requestRate({ width: 7.5 })] });
