// A top-level await that rejects.
import { dashboard, requestRate } from 'inferboard';

await Promise.reject(new Error('the configuration service is down'));

export default dashboard({ uid: 'rejected', title: 'Rejected', panels: [requestRate()] });
