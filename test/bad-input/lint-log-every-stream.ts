// A log query whose stream selector passes every stream: Loki would read them all.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { dashboard } from 'inferboard';

const loki = { type: 'loki', uid: '${loki}' };

export default dashboard({
  uid: 'every-stream',
  title: 'Every stream',
  panels: [
    new PanelBuilder()
      .title('All the logs')
      .description('hand-written')
      .datasource(loki)
      .withTarget(new DataqueryBuilder().datasource(loki).refId('A').expr('{job=~".+"} | json | status="error"')),
  ],
});
