// A hand-written query whose regex has a class range backwards.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { dashboard } from 'inferboard';

export default dashboard({
  uid: 'class-range',
  title: 'Class range',
  panels: [
    new PanelBuilder()
      .title('Hand-written regex')
      .withTarget(new DataqueryBuilder().refId('A').expr('sum(rate(nv_inference_count{model=~"[z-a]"}[$__rate_interval]))')),
  ],
});
