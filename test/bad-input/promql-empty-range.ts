// Empty range: a hand-written query the build must refuse.
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { dashboard } from 'inferboard';

export default dashboard({
  uid: 'bad-promql',
  title: 'Bad PromQL',
  panels: [
    new PanelBuilder()
      .title("Empty range")
      .description('hand-written')
      .unit('short')
      .datasource({ type: 'prometheus', uid: '${datasource}' })
      .withTarget(new DataqueryBuilder().datasource({ type: 'prometheus', uid: '${datasource}' }).refId('A').expr("rate(nv_inference_count{job=~\"$job\",instance=~\"$instance\"}[])")),
  ],
});
