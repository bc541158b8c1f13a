// A module that throws from a timer after it loaded.
import { dashboard, requestRate } from 'inferboard';

setTimeout(() => {
  throw new Error('late failure from a timer');
}, 0);

export default dashboard({ uid: 'late', title: 'Late', panels: [requestRate()] });
