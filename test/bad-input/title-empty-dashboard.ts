// An empty dashboard title.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'empty-title', title: '', panels: [requestRate()] });
