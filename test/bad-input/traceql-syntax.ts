// A trace panel whose TraceQL compares a duration with no value.
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/tempo';
import { dashboard } from 'inferboard';

const tempo = { type: 'tempo', uid: '${tempo}' };

export default dashboard({
  uid: 'broken-traceql',
  title: 'Broken TraceQL',
  panels: [
    new PanelBuilder()
      .title('Hand-written trace search')
      .datasource(tempo)
      .withTarget(
        new DataqueryBuilder().datasource(tempo).refId('A').queryType('traceql').query('{ resource.service.name=~"$job" && duration >= }'),
      ),
  ],
});
