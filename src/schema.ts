/**
 * Schema validation of emitted dashboards with ajv. The schemas are derived from the Grafana
 * Foundation SDK's TypeScript types at build time (scripts/generate-schemas.mjs), so they follow
 * the SDK version installed. Errors name the dashboard, the panel and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { allPanels } from './validate.js';

type Schema = { definitions?: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The package root: the nearest folder above this module with a package.json (src/ or dist/src/). */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('inferboard: cannot find its package root');
    directory = parent;
  }
  return directory;
}

interface Validators {
  readonly dashboard: ValidateFunction;
  readonly panel: ValidateFunction;
  readonly row: ValidateFunction;
  readonly target: ValidateFunction;
  readonly options: ReadonlyMap<string, ValidateFunction>;
  readonly custom: ReadonlyMap<string, ValidateFunction>;
}

let compiled: Validators | undefined;

/** Compiles the validators once per process (the schemas are large; a build validates many dashboards). */
function validators(): Validators {
  if (compiled) return compiled;
  const file = join(packageRoot(), 'dist', 'schema', 'grafana.schema.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  const { schemas } = JSON.parse(readFileSync(file, 'utf8')) as { schemas: Record<string, Schema> };
  const ajv = new Ajv({ strict: false, allErrors: false });
  const dashboardSchema = schemas.Dashboard as Schema;
  const definitions = structuredClone(dashboardSchema.definitions ?? {});
  // Panels are checked one by one, so that an error names its panel.
  (definitions.Dashboard as { properties: Record<string, unknown> }).properties.panels = { type: 'array' };
  (definitions.RowPanel as { properties: Record<string, unknown> }).properties.panels = { type: 'array' };
  // Targets carry their datasource's own fields; Prometheus targets are checked against their schema below.
  delete (definitions.Dataquery as { additionalProperties?: boolean }).additionalProperties;
  const at = (ref: string) => ajv.compile({ definitions, $ref: `#/definitions/${ref}` });
  const pluginSchemas = (suffix: string) =>
    new Map(
      Object.entries(schemas)
        .filter(([name]) => name.endsWith(`.${suffix}`))
        .map(([name, schema]) => [name.slice(0, -suffix.length - 1), ajv.compile(schema)]),
    );
  compiled = {
    dashboard: at('Dashboard'),
    panel: at('Panel'),
    row: at('RowPanel'),
    target: ajv.compile(schemas.PrometheusTarget as Schema),
    options: pluginSchemas('Options'),
    custom: pluginSchemas('FieldConfig'),
  };
  return compiled;
}

/** `fieldConfig.defaults.unit: must be string`, from an ajv error below `base`. */
function describe(error: ErrorObject, base: string): string {
  const path = [base, ...error.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.');
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
  if (params.additionalProperty) return `${path ? `${path}.` : ''}${params.additionalProperty}: is not a field Grafana knows`;
  const allowed = params.allowedValues ? ` (${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')})` : '';
  return `${path || '(top level)'}: ${error.message ?? 'is invalid'}${allowed}`;
}

/**
 * Returns the first schema problem of a dashboard as `panel "Title": field: problem`, or
 * undefined. Checks the dashboard, each panel (rows and their panels too), each Prometheus
 * target, and the options and custom field config of panel types the SDK describes.
 */
export function schemaProblem(json: grafana.Dashboard): string | undefined {
  const check = validators();
  if (!check.dashboard(json)) return describe(check.dashboard.errors?.[0] as ErrorObject, '');
  for (const panel of allPanels(json)) {
    const name = `panel ${JSON.stringify(panel.title ?? '')}`;
    const validate = panel.type === 'row' ? check.row : check.panel;
    if (!validate(panel)) return `${name}: ${describe(validate.errors?.[0] as ErrorObject, '')}`;
    const options = check.options.get(panel.type);
    if (options && panel.options !== undefined && !options(panel.options)) {
      return `${name}: ${describe(options.errors?.[0] as ErrorObject, 'options')}`;
    }
    const custom = check.custom.get(panel.type);
    const customConfig = panel.fieldConfig?.defaults?.custom;
    if (custom && customConfig !== undefined && !custom(customConfig)) {
      return `${name}: ${describe(custom.errors?.[0] as ErrorObject, 'fieldConfig.defaults.custom')}`;
    }
    const targets = (panel.targets ?? []) as unknown as { refId?: string; datasource?: { type?: string } }[];
    for (const target of targets) {
      const type = target.datasource?.type ?? panel.datasource?.type ?? 'prometheus';
      const refId = target.refId ?? '?';
      if (type === 'prometheus' && !check.target(target)) {
        return `${name} target ${refId}: ${describe(check.target.errors?.[0] as ErrorObject, '')}`;
      }
    }
  }
  return undefined;
}
