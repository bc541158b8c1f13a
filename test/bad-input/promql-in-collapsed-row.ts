// A broken query inside a collapsed row: its panels are nested in the row, and checked too.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { dashboard, requestRate } from 'inferboard';

export default dashboard({
  uid: 'collapsed-promql',
  title: 'Collapsed PromQL',
  panels: [requestRate()],
  rows: [
    {
      title: 'Details',
      collapsed: true,
      panels: [
        new PanelBuilder()
          .title('Hidden query')
          .withTarget(new DataqueryBuilder().refId('A').expr('sum(rate(nv_inference_count{model=~"$model"}[$__rate_interval])')),
      ],
    },
  ],
});
