// args: --load-timeout 1
// A top-level await that never settles.
import { dashboard, requestRate } from 'inferboard';

await new Promise(() => undefined);

export default dashboard({ uid: 'never', title: 'Never', panels: [requestRate()] });
