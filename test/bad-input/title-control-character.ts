// A panel title with a bell character in it.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'bell', title: 'Bell', panels: [requestRate({ title: 'Request\u0007 rate' })] });
