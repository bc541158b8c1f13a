// A regex filter with an unbalanced parenthesis.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'r', title: 'R', panels: [requestRate({ filters: [{ label: 'model', operator: '!~', value: 'resnet(50' }] })] });
