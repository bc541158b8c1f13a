// groupBy takes a list of labels, not one.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'o', title: 'O', panels: [requestRate({ groupBy: 'model' } as never)] });
