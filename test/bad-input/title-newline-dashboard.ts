// A dashboard title with a line break.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'nl', title: 'Two\nlines', panels: [requestRate()] });
