/**
 * The Grafana Foundation SDK modules whose builders inferboard calls, required rather than
 * imported (see queries/commonjs.ts). Import types from the SDK.
 */
import { loadCommonJs as load } from '../queries/commonjs.js';

export const sdk = {
  common: load<typeof import('@grafana/grafana-foundation-sdk/common')>('@grafana/grafana-foundation-sdk/common'),
  dashboard: load<typeof import('@grafana/grafana-foundation-sdk/dashboard')>('@grafana/grafana-foundation-sdk/dashboard'),
  gauge: load<typeof import('@grafana/grafana-foundation-sdk/gauge')>('@grafana/grafana-foundation-sdk/gauge'),
  heatmap: load<typeof import('@grafana/grafana-foundation-sdk/heatmap')>('@grafana/grafana-foundation-sdk/heatmap'),
  prometheus: load<typeof import('@grafana/grafana-foundation-sdk/prometheus')>('@grafana/grafana-foundation-sdk/prometheus'),
  stat: load<typeof import('@grafana/grafana-foundation-sdk/stat')>('@grafana/grafana-foundation-sdk/stat'),
  table: load<typeof import('@grafana/grafana-foundation-sdk/table')>('@grafana/grafana-foundation-sdk/table'),
  timeseries: load<typeof import('@grafana/grafana-foundation-sdk/timeseries')>('@grafana/grafana-foundation-sdk/timeseries'),
};
