/**
 * The CommonJS packages inferboard calls, loaded with require(): the PromQL builder, the
 * Grafana Foundation SDK modules, and the validators ajv compiled at `npm run build`. An ES
 * module's import of CommonJS makes Node scan each of the package's files for export names
 * first; docs/performance.md has the measured cost. Import types from the packages themselves.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  logs: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/logs')>('@grafana/grafana-foundation-sdk/logs'),
  loki: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/loki')>('@grafana/grafana-foundation-sdk/loki'),
  tempo: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/tempo')>('@grafana/grafana-foundation-sdk/tempo'),
  prometheus: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/prometheus')>(
    '@grafana/grafana-foundation-sdk/prometheus',
  ),
  stat: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/stat')>('@grafana/grafana-foundation-sdk/stat'),
  table: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/table')>('@grafana/grafana-foundation-sdk/table'),
  timeseries: loadCommonJs<typeof import('@grafana/grafana-foundation-sdk/timeseries')>(
    '@grafana/grafana-foundation-sdk/timeseries',
  ),
  units: loadCommonJs<Record<string, unknown>>('@grafana/grafana-foundation-sdk/units'),
};

/** The package root: the nearest folder above this module with a package.json (from queries/ or dist/queries/). */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('inferboard: cannot find its package root');
    directory = parent;
  }
  return directory;
}

/** A file of `dist/schema/` that `npm run build` generates: a compiled validator module (`.cjs`) or its data (`.json`). */
export function generated<T>(name: string): T {
  const file = join(packageRoot(), 'dist', 'schema', name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  return require(file) as T;
}
