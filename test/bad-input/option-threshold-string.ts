// A threshold read from a config file as a string.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({
  uid: 'o',
  title: 'O',
  panels: [requestRate({ thresholds: [{ value: null, color: 'green' }, { value: '80', color: 'red' }] } as never)],
});
