// A log panel whose LogQL line filter has no string to match.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { dashboard } from 'inferboard';

const loki = { type: 'loki', uid: '${loki}' };

export default dashboard({
  uid: 'broken-logql',
  title: 'Broken LogQL',
  panels: [
    new PanelBuilder()
      .title('Hand-written log query')
      .datasource(loki)
      .withTarget(new DataqueryBuilder().datasource(loki).refId('A').expr('{job=~"$job"} | json | status="error" |= ')),
  ],
});
