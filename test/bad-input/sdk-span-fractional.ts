// A Foundation SDK panel seven and a half columns wide.
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export default new DashboardBuilder('Span fraction').uid('span-fraction').withPanel(new PanelBuilder().title('Requests').span(7.5));
