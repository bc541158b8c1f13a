/**
 * Schema validation of emitted dashboards with ajv. The schemas are derived from the Grafana
 * Foundation SDK's TypeScript types at build time (scripts/generate-schemas.mjs), so they follow
 * the SDK version installed. Errors name the dashboard, the panel and the field.
 */
import { quoted } from './errors.js';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { allPanels } from '../dashboards/walk.js';

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
  /** `options_<panel type>` and `custom_<panel type>` (the field config's custom part). */
  readonly [pluginPart: string]: ValidateFunction | undefined;
}

let loaded: Validators | undefined;
let loadedV2: ValidateFunction | undefined;

/** A validator module compiled by ajv at `npm run build` (scripts/generate-schemas.mjs). */
function compiled(name: string): unknown {
  const file = join(packageRoot(), 'dist', 'schema', name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  return createRequire(import.meta.url)(file);
}

/**
 * The validators, compiled by ajv at `npm run build` (scripts/generate-schemas.mjs) into
 * standalone code: compiling the large schemas here would cost every CLI start ~0.4 s.
 */
function validators(): Validators {
  loaded ??= compiled('validators.cjs') as Validators;
  return loaded;
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
  // The panel's name is built only for a problem: this loop runs for every panel of a fleet.
  const name = (panel: grafana.Panel) => `panel ${quoted(panel.title ?? '')}`;
  for (const panel of allPanels(json)) {
    const validate = panel.type === 'row' ? check.row : check.panel;
    if (!validate(panel)) return `${name(panel)}: ${describe(validate.errors?.[0] as ErrorObject, '')}`;
    const options = check[`options_${panel.type}`];
    if (options && panel.options !== undefined && !options(panel.options)) {
      return `${name(panel)}: ${describe(options.errors?.[0] as ErrorObject, 'options')}`;
    }
    const custom = check[`custom_${panel.type}`];
    const customConfig = panel.fieldConfig?.defaults?.custom;
    if (custom && customConfig !== undefined && !custom(customConfig)) {
      return `${name(panel)}: ${describe(custom.errors?.[0] as ErrorObject, 'fieldConfig.defaults.custom')}`;
    }
    const targets = (panel.targets ?? []) as unknown as { refId?: string; datasource?: { type?: string } }[];
    for (const target of targets) {
      const type = target.datasource?.type ?? panel.datasource?.type ?? 'prometheus';
      const refId = target.refId ?? '?';
      if (type === 'prometheus' && !check.target(target)) {
        return `${name(panel)} target ${refId}: ${describe(check.target.errors?.[0] as ErrorObject, '')}`;
      }
    }
  }
  return undefined;
}

/** The first problem of a v2 dashboard spec against the Foundation SDK's `dashboardv2.Dashboard`, or undefined. */
export function dashboardV2Problem(spec: unknown): string | undefined {
  loadedV2 ??= (compiled('validators-v2.cjs') as { dashboard_v2: ValidateFunction }).dashboard_v2;
  return loadedV2(spec) ? undefined : `v2 spec: ${describe(loadedV2.errors?.[0] as ErrorObject, '')}`;
}
