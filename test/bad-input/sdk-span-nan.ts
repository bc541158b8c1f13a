// A Foundation SDK panel whose width is NaN: serialized as null.
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export default new DashboardBuilder('Span NaN').uid('span-nan').withPanel(new PanelBuilder().title('Requests').span(Number.NaN));
