// Two folders, Café composed and decomposed: one name under Unicode normalization.
import { dashboard, requestRate } from 'inferboard';

export default [
  dashboard({ uid: 'a', title: 'A', folder: 'Caf\u00e9', panels: [requestRate()] }),
  dashboard({ uid: 'b', title: 'B', folder: 'Cafe\u0301', panels: [requestRate()] }),
];
