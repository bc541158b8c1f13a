/**
 * The Grafana Foundation SDK modules whose builders inferboard calls, loaded with require().
 * They are CommonJS, and an ES module's import of CommonJS makes Node scan each of its files
 * for export names first: about 45 ms of every build for the SDK's. Import types from the SDK.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const sdk = {
  common: require('@grafana/grafana-foundation-sdk/common') as typeof import('@grafana/grafana-foundation-sdk/common'),
  dashboard: require('@grafana/grafana-foundation-sdk/dashboard') as typeof import('@grafana/grafana-foundation-sdk/dashboard'),
  gauge: require('@grafana/grafana-foundation-sdk/gauge') as typeof import('@grafana/grafana-foundation-sdk/gauge'),
  heatmap: require('@grafana/grafana-foundation-sdk/heatmap') as typeof import('@grafana/grafana-foundation-sdk/heatmap'),
  prometheus: require('@grafana/grafana-foundation-sdk/prometheus') as typeof import('@grafana/grafana-foundation-sdk/prometheus'),
  stat: require('@grafana/grafana-foundation-sdk/stat') as typeof import('@grafana/grafana-foundation-sdk/stat'),
  table: require('@grafana/grafana-foundation-sdk/table') as typeof import('@grafana/grafana-foundation-sdk/table'),
  timeseries: require('@grafana/grafana-foundation-sdk/timeseries') as typeof import('@grafana/grafana-foundation-sdk/timeseries'),
};
