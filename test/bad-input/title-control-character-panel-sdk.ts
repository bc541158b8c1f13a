// A Foundation SDK panel whose title holds a tab.
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export default new DashboardBuilder('Tab').uid('tab').withPanel(new PanelBuilder().title('Request\trate'));
