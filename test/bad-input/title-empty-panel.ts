// An empty panel title.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'p', title: 'P', panels: [requestRate({ title: ' ' })] });
