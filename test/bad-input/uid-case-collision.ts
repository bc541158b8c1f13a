// Two uids that differ only in case in one folder: one file on macOS and Windows.
import { dashboard, requestRate } from 'inferboard';

export default [
  dashboard({ uid: 'triton', title: 'A', panels: [requestRate()] }),
  dashboard({ uid: 'Triton', title: 'B', panels: [requestRate()] }),
];
