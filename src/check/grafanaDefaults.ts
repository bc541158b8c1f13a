/**
 * What Grafana reads where a dashboard leaves a field out: the Foundation SDK's defaults of the
 * dashboard, its panels (their options, by panel type) and its variables. A field set to its
 * default and one left out read the same: `diff` compares dashboards with the defaults filled
 * in, and `import` fills them where Grafana's schema requires a field an older Grafana omitted.
 */
import { createRequire } from 'node:module';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { sdk } from '../../queries/commonjs.js';

type Json = Record<string, unknown>;

const require = createRequire(import.meta.url);
const optionDefaults = new Map<string, Json | undefined>();

/** The default options of a panel type, from its Foundation SDK module; none for a type the SDK does not describe. */
function defaultOptionsOf(type: string): Json | undefined {
  if (!optionDefaults.has(type)) {
    let defaults: Json | undefined;
    try {
      if (/^[a-z]+$/.test(type))
        defaults = (require(`@grafana/grafana-foundation-sdk/${type}`) as { defaultOptions?: () => Json }).defaultOptions?.();
    } catch {
      defaults = undefined;
    }
    optionDefaults.set(type, defaults);
  }
  return optionDefaults.get(type);
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` over `defaults`, object by object; an array or a value replaces the default whole. */
function over(defaults: unknown, value: unknown): unknown {
  if (value === undefined) return defaults;
  if (!isObject(defaults) || !isObject(value)) return value;
  const merged: Json = { ...defaults };
  for (const [key, item] of Object.entries(value)) merged[key] = over(defaults[key], item);
  return merged;
}

/** A panel with the defaults of its fields and of its type's options filled in; a row's panels too. */
export function panelWithDefaults(panel: grafana.Panel): grafana.Panel {
  if (panel.type === 'row') {
    const row = panel as grafana.Panel & { panels?: grafana.Panel[] };
    return {
      ...sdk.dashboard.defaultRowPanel(),
      ...row,
      panels: (row.panels ?? []).map(panelWithDefaults),
    } as unknown as grafana.Panel;
  }
  const options = defaultOptionsOf(panel.type);
  return {
    ...sdk.dashboard.defaultPanel(),
    ...panel,
    ...(options && (panel.options === undefined || isObject(panel.options)) ? { options: over(options, panel.options) } : {}),
  };
}

/** A dashboard as Grafana reads it: every left-out field with its default. */
export function withGrafanaDefaults(json: grafana.Dashboard): grafana.Dashboard {
  return {
    ...sdk.dashboard.defaultDashboard(),
    ...json,
    templating: {
      ...json.templating,
      list: (json.templating?.list ?? []).map((variable) => ({ ...sdk.dashboard.defaultVariableModel(), ...variable })),
    },
    panels: (json.panels ?? []).map((panel) => panelWithDefaults(panel as grafana.Panel)),
  };
}
