// Two folders whose names differ only in case: one folder on macOS and Windows.
import { dashboard, requestRate } from 'inferboard';

export default [
  dashboard({ uid: 'a', title: 'A', folder: 'Inference', panels: [requestRate()] }),
  dashboard({ uid: 'b', title: 'B', folder: 'inference', panels: [requestRate()] }),
];
