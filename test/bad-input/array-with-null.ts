// An array with a hole in it.
import { dashboard, requestRate } from 'inferboard';

export default [dashboard({ uid: 'ok', title: 'OK', panels: [requestRate()] }), null];
