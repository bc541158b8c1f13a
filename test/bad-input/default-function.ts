// A default export that is a function, not a dashboard.
import { dashboard, requestRate } from 'inferboard';

export default () => dashboard({ uid: 'f', title: 'F', panels: [requestRate()] });
