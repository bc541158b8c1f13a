// A 41-character uid.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'u'.repeat(41), title: 'U', panels: [requestRate()] });
