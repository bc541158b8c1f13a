/**
 * The CommonJS packages inferboard calls, loaded with require(): the PromQL builder and the
 * Grafana Foundation SDK modules. An ES module's import of CommonJS makes Node scan each of the
 * package's files for export names first; docs/performance.md has the measured cost. Import
 * types from the packages themselves.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A package's exports as plain properties: compiled CommonJS re-exports them as getters, which every call would run. */
function loadCommonJs<T extends object>(module: string): T {
  return { ...(require(module) as T) };
}

export const promql = loadCommonJs<typeof import('@grafana/promql-builder')>('@grafana/promql-builder');

/** The Foundation SDK modules whose builders inferboard calls. */
export const sdk = {
  common: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/common')>('@grafana/grafana-foundation-sdk/common'),
  dashboard: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/dashboard')>(
    '@grafana/grafana-foundation-sdk/dashboard',
  ),
  gauge: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/gauge')>('@grafana/grafana-foundation-sdk/gauge'),
  heatmap: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/heatmap')>('@grafana/grafana-foundation-sdk/heatmap'),
  prometheus: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/prometheus')>(
    '@grafana/grafana-foundation-sdk/prometheus',
  ),
  stat: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/stat')>('@grafana/grafana-foundation-sdk/stat'),
  table: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/table')>('@grafana/grafana-foundation-sdk/table'),
  timeseries: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/timeseries')>(
    '@grafana/grafana-foundation-sdk/timeseries',
  ),
};
