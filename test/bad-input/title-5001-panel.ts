// A 5001-character panel title.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'p', title: 'P', panels: [requestRate({ title: 'y'.repeat(5001) })] });
