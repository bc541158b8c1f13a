// A default export that is a promise of a dashboard.
import { dashboard, requestRate } from 'inferboard';

export default Promise.resolve(dashboard({ uid: 'p', title: 'P', panels: [requestRate()] }));
