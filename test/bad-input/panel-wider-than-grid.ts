// A panel 25 columns wide.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'w', title: 'W', panels: [requestRate({ width: 25 })] });
