// A module that starts a promise nobody handles, which rejects.
import { dashboard, requestRate } from 'inferboard';

void Promise.reject(new Error('a rejection nobody handles'));

export default dashboard({ uid: 'rejects', title: 'Rejects', panels: [requestRate()] });
