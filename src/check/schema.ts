/**
 * Schema validation of emitted dashboards with ajv. The schemas are derived from the Grafana
 * Foundation SDK's TypeScript types at build time (scripts/generate-schemas.mjs), so they follow
 * the SDK version installed. Errors name the dashboard, the panel and the field.
 */
import { quoted } from './errors.js';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { allPanels } from '../dashboards/walk.js';
import { generated } from '../../queries/commonjs.js';
import { panelWithDefaults } from './grafanaDefaults.js';

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

/**
 * The validators, compiled by ajv at `npm run build` (scripts/generate-schemas.mjs) into
 * standalone code: compiling the large schemas here would cost every CLI start ~0.4 s.
 */
function validators(): Validators {
  loaded ??= generated<Validators>('validators.cjs');
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
  loadedV2 ??= generated<{ dashboard_v2: ValidateFunction }>('validators-v2.cjs').dashboard_v2;
  return loadedV2(spec) ? undefined : `v2 spec: ${describe(loadedV2.errors?.[0] as ErrorObject, '')}`;
}

/** The value at `path` (ajv's instance path parts) below `root`. */
function at(root: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  return path.reduce<Record<string, unknown> | undefined>(
    (value, part) => value?.[part] as Record<string, unknown> | undefined,
    root as Record<string, unknown>,
  );
}

/**
 * Fits a panel written for an older Grafana or plugin to Grafana's schema of its type: its
 * options get the defaults of the fields the schema requires (as Grafana fills them on load),
 * and fields of `options` and `fieldConfig.defaults.custom` the schema does not take are removed,
 * one at a time as the validator finds them. Returns the paths removed (`options.fieldOptions`).
 */
export function fitToSchema(panel: grafana.Panel): string[] {
  const check = validators();
  Object.assign(panel, { options: panelWithDefaults(panel).options });
  const removed: string[] = [];
  const parts = [
    {
      validate: check[`options_${panel.type}`],
      holder: panel as unknown as Record<string, unknown>,
      key: 'options',
      path: 'options',
    },
    {
      validate: check[`custom_${panel.type}`],
      holder: (panel.fieldConfig?.defaults ?? {}) as Record<string, unknown>,
      key: 'custom',
      path: 'fieldConfig.defaults.custom',
    },
  ];
  for (const { validate, holder, key, path } of parts) {
    for (let guard = 0; validate && holder[key] !== undefined && !validate(holder[key]) && guard < 100; guard += 1) {
      const error = validate.errors?.[0] as ErrorObject;
      const parts = error.instancePath.split('/').filter(Boolean);
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      // An unknown field goes; so does a value of the wrong type or outside its values, for its default.
      const field = extra ?? parts.pop();
      const owner = at(holder[key], parts);
      if (field === undefined || owner === undefined) {
        removed.push(path);
        delete holder[key];
        break;
      }
      delete owner[field];
      removed.push([path, ...parts, field].join('.'));
    }
  }
  return removed;
}
