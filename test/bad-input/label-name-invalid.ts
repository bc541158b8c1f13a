// A filter on a label name PromQL cannot express.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'l', title: 'L', panels: [requestRate({ filters: [{ label: 'model-name', value: 'x' }] })] });
