// A panel whose PromQL is missing a closing parenthesis.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { dashboard } from 'inferboard';

export default dashboard({
  uid: 'broken-promql',
  title: 'Broken PromQL',
  panels: [
    new PanelBuilder()
      .title('Hand-written query')
      .withTarget(new DataqueryBuilder().refId('A').expr('sum(rate(nv_inference_count{model=~"$model"}[$__rate_interval])')),
  ],
});
