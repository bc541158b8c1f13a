// Two of the guides' queries: a histogram Triton does not have, and utilization read as 0-100.
// The dashboard turns rate-interval off for the first panel; the rest still fire.
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { dashboard } from 'inferboard';

const panel = (title: string, expr: string) =>
  new PanelBuilder()
    .title(title)
    .description('From the seed guide.')
    .unit('short')
    .datasource({ type: 'prometheus', uid: '${datasource}' })
    .withTarget(new DataqueryBuilder().datasource({ type: 'prometheus', uid: '${datasource}' }).refId('A').expr(expr));

export default dashboard({
  uid: 'seed-queries',
  title: 'Seed queries',
  lint: { panels: { 'P95 latency': ['rate-interval'] } },
  panels: [
    panel('P95 latency', 'histogram_quantile(0.95, sum by (le) (rate(nv_inference_request_duration_us_bucket[1m]))) / 1000'),
    panel('High GPU', 'nv_gpu_utilization{job=~"$job",instance=~"$instance"} > 90'),
  ],
});
