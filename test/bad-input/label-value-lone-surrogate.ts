// A label value that is not valid UTF-8.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'l', title: 'L', panels: [requestRate({ filters: [{ label: 'model', value: 'bad\ud800' }] })] });
