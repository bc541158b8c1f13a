// A regex filter with a backreference, which RE2 does not have.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'r', title: 'R', panels: [requestRate({ filters: [{ label: 'model', operator: '=~', value: '(a)\\1' }] })] });
