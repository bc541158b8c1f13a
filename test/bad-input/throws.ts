// Throws while the module loads: a panel option outside the grid.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'too-wide', title: 'Too wide', panels: [requestRate({ width: 30 })] });
