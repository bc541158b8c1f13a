// A stat panel whose graph mode is not one Grafana has.
import { BigValueGraphMode } from '@grafana/grafana-foundation-sdk/common';
import { dashboard, totalRequests } from 'inferboard';

export default dashboard({
  uid: 'bad-enum',
  title: 'Bad enum',
  panels: [totalRequests().graphMode('wiggly' as BigValueGraphMode)],
});
