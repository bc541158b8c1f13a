#!/usr/bin/env node
// Derives the JSON Schemas build-dashboards validates against from the Grafana Foundation SDK's
// TypeScript types (dashboard, Prometheus target, and the options of each panel type we emit).
// Runs in `npm run build`; writes dist/schema/grafana.schema.json and, compiled from it by ajv,
// dist/schema/validators.cjs and, for --schema v2 only, validators-v2.cjs (standalone code: no
// schema compilation when build-dashboards starts). Skipped when the SDK version, the list of types and this script are those it was generated from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
// The package exports no package.json: find its root from the dashboard module.
const sdk = join(dirname(require.resolve('@grafana/grafana-foundation-sdk/dashboard')), '..', '..');
const { version } = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
const output = join(root, 'dist', 'schema', 'grafana.schema.json');
const validatorsOutput = join(root, 'dist', 'schema', 'validators.cjs');
const v2ValidatorOutput = join(root, 'dist', 'schema', 'validators-v2.cjs');

/** [name in our schema, SDK module folder, type name]. */
const types = [
  ['Dashboard', 'dashboard', 'Dashboard'],
  ['PrometheusTarget', 'prometheus', 'Dataquery'],
  ['timeseries.Options', 'timeseries', 'Options'],
  ['timeseries.FieldConfig', 'timeseries', 'FieldConfig'],
  ['stat.Options', 'stat', 'Options'],
  ['gauge.Options', 'gauge', 'Options'],
  ['table.Options', 'table', 'Options'],
  ['table.FieldConfig', 'table', 'FieldConfig'],
  ['heatmap.Options', 'heatmap', 'Options'],
  ['heatmap.FieldConfig', 'heatmap', 'FieldConfig'],
  ['DashboardV2', 'dashboardv2', 'Dashboard'],
];

const key = `${version} ${JSON.stringify(types)} ${createHash('sha256')
  .update(readFileSync(new URL(import.meta.url)))
  .digest('hex')}`;
try {
  if (JSON.parse(readFileSync(output, 'utf8')).key === key && existsSync(validatorsOutput) && existsSync(v2ValidatorOutput))
    process.exit(0);
} catch {
  // not generated yet
}

const schemas = {};
for (const [name, folder, type] of types) {
  const generator = createGenerator({
    path: join(sdk, 'dist', folder, 'types.gen.d.ts'),
    type,
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
    jsDoc: 'none',
  });
  schemas[name] = generator.createSchema(type);
}
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify({ key, schemas })}\n`);
const { DashboardV2, ...classic } = schemas;
writeFileSync(validatorsOutput, validatorsCode(classic));
// A separate file: v2 is checked only by --schema v2 builds, and its code is as large as the rest.
writeFileSync(v2ValidatorOutput, v2ValidatorCode(DashboardV2));
console.log(
  `generate-schemas: ${types.length} schemas from @grafana/grafana-foundation-sdk ${version}, compiled to validators.cjs and validators-v2.cjs`,
);

/**
 * ajv standalone code exporting `dashboard`, `panel`, `row`, `target`, `options_<type>` and
 * `custom_<type>` validators (src/check/schema.ts reads them).
 */
function validatorsCode(all) {
  const ajv = new Ajv({ strict: false, allErrors: false, code: { source: true } });
  const definitions = structuredClone(all.Dashboard.definitions ?? {});
  // Panels are checked one by one, so that an error names its panel.
  definitions.Dashboard.properties.panels = { type: 'array' };
  definitions.RowPanel.properties.panels = { type: 'array' };
  // Targets carry their datasource's own fields; Prometheus targets are checked against their schema.
  delete definitions.Dataquery.additionalProperties;
  const refs = {};
  const add = (name, schema) => {
    ajv.addSchema(schema, name);
    refs[name] = name;
  };
  for (const [name, ref] of [
    ['dashboard', 'Dashboard'],
    ['panel', 'Panel'],
    ['row', 'RowPanel'],
  ])
    add(name, { definitions, $ref: `#/definitions/${ref}` });
  add('target', all.PrometheusTarget);
  for (const [name, schema] of Object.entries(all)) {
    const [panelType, kind] = name.split('.');
    if (kind === 'Options') add(`options_${panelType}`, schema);
    if (kind === 'FieldConfig') add(`custom_${panelType}`, schema);
  }
  return standaloneCode(ajv, refs);
}

/** ajv standalone code exporting the `dashboard_v2` validator of a v2 dashboard's spec. */
function v2ValidatorCode(schema) {
  const ajv = new Ajv({ strict: false, allErrors: false, code: { source: true } });
  ajv.addSchema(schema, 'dashboard_v2');
  return standaloneCode(ajv, { dashboard_v2: 'dashboard_v2' });
}
