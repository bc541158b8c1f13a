// A Foundation SDK dashboard without a uid.
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

export default new DashboardBuilder('No uid');
