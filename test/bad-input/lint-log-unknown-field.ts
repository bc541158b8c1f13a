// A log query filtering on a field the request log format does not have (latency is latency_ms).
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { dashboard } from 'inferboard';

const loki = { type: 'loki', uid: '${loki}' };

export default dashboard({
  uid: 'unknown-field',
  title: 'Unknown field',
  panels: [
    new PanelBuilder()
      .title('Slow lines')
      .description('hand-written')
      .datasource(loki)
      .withTarget(new DataqueryBuilder().datasource(loki).refId('A').expr('{job=~"$job"} | json | latency > 1000')),
  ],
});
