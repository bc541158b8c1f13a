// A regex filter with a look-ahead, which RE2 (Prometheus's regex engine) does not have.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'r', title: 'R', panels: [requestRate({ filters: [{ label: 'model', operator: '=~', value: 'resnet(?=50)' }] })] });
