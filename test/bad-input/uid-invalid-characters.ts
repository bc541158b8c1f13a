// A uid with a space and a slash.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'my dash/1', title: 'U', panels: [requestRate()] });
