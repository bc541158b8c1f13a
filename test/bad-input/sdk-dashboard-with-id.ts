// A Foundation SDK dashboard with an instance id.
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

export default new DashboardBuilder('With id').uid('with-id').id(7);
