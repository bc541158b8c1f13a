// A 5001-character dashboard title.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'long-title', title: 'x'.repeat(5001), panels: [requestRate()] });
