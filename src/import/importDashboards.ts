/**
 * `build-dashboards import`: dashboards exported from Grafana as TypeScript modules. Each panel
 * an inferboard builder builds becomes that builder's call; the others stay as written, in
 * Foundation SDK builders, with their lint findings beside them and, with `fix`, replaced by the
 * builder that draws what they mean to show.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { sdk } from '../../queries/commonjs.js';
import { allPanels } from '../dashboards/walk.js';
import { formatFinding, lintDashboard } from '../check/lint.js';
import { fitToSchema } from '../check/schema.js';
import { normalizeDashboard } from './normalize.js';
import { built, exactBuilder, suggestedBuilder } from './recognize.js';
import { dashboardModule, type PanelPlan } from './codegen.js';

/** Options of {@link importDashboards}. */
export interface ImportOptions {
  /** Folder the modules are written to. Default `dashboards`. */
  readonly out?: string;
  /** Replace each panel lint finds a mistake in by the inferboard builder that draws what it means to show. Default `false`. */
  readonly fix?: boolean;
  /** The Grafana folder of the dashboards, written as the module's `folder` export. Default none: the General folder. */
  readonly folder?: string;
}

/** What one import wrote. */
export interface ImportedModule {
  readonly file: string;
  readonly module: string;
  readonly panels: number;
  /** Panels written as an inferboard builder call. */
  readonly builders: number;
  /** Lint findings left as comments (and in the module's `lint` export). */
  readonly findings: number;
}

/** A uid Grafana takes, from a title where the dashboard has none. */
function uidOf(json: grafana.Dashboard): string {
  if (typeof json.uid === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(json.uid)) return json.uid;
  const slug = (json.title ?? 'dashboard')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'dashboard';
}

/** The plan of each panel: its builder call, or its findings and the builder that would draw it. */
function plan(json: grafana.Dashboard, fix: boolean): { plans: Map<number, PanelPlan>; findings: string[]; rules: string[] } {
  const findings = lintDashboard(json, {});
  const plans = new Map<number, PanelPlan>();
  const variables = new Set((json.templating?.list ?? []).map((variable) => variable.name));
  const chain = ['job', 'instance'].every((name) => variables.has(name));
  for (const panel of allPanels(json)) {
    if (panel.type === 'row') continue;
    const notes = fitToSchema(panel).map((path) => `not carried over: ${path} (not in Grafana's schema of ${panel.type} panels)`);
    const own = findings.filter((finding) => finding.panel === panel.title);
    const exact = exactBuilder(panel);
    const suggestion = exact ? undefined : suggestedBuilder(panel);
    const replaced = fix && own.length > 0 && suggestion !== undefined;
    // A builder's queries filter by $job and $instance: not where the dashboard has no such variables.
    const fitted =
      suggestion && !chain ? { ...suggestion, options: { ...suggestion.options, templateVariables: false } } : suggestion;
    // A replacement has findings of its own where the dashboard lacks what it reads (the $job variable).
    const replacement = replaced && fitted ? built(fitted) : undefined;
    const left = replacement
      ? lintDashboard({ ...json, panels: [replacement] }).filter((finding) => finding.panel === replacement.title)
      : own;
    plans.set(Number(panel.id), {
      ...(exact ? { call: exact } : replaced ? { call: fitted } : fitted ? { suggestion: fitted } : {}),
      findings: left.map((finding) => formatFinding({ ...finding, panel: undefined })),
      rules: [...new Set(left.map((finding) => finding.rule))],
      notes: replaced ? [...notes, `--fix: replaced the panel as written (${own.length} lint findings)`] : notes,
    });
  }
  const dashboardWide = findings.filter((finding) => finding.panel === undefined);
  return { plans, findings: dashboardWide.map(formatFinding), rules: [...new Set(dashboardWide.map((finding) => finding.rule))] };
}

/** The module's file name: the dashboard's uid. */
const moduleName = (uid: string) => `${uid.replace(/[^A-Za-z0-9_-]/g, '-')}.ts`;

/**
 * Imports each dashboard file into a TypeScript module of `options.out`, formatted with prettier.
 * Throws, naming the file, for what is no dashboard or a module that exists (it is never overwritten).
 */
export async function importDashboards(files: readonly string[], options: ImportOptions = {}): Promise<ImportedModule[]> {
  const out = options.out ?? 'dashboards';
  const prettier = await import('prettier');
  const results: ImportedModule[] = [];
  for (const file of files) {
    const { json, conversions } = normalizeDashboard(await readFile(file, 'utf8'), file);
    const uid = uidOf(json);
    json.uid = uid;
    const module = join(out, moduleName(uid));
    if (existsSync(module))
      throw new Error(`${file}: ${module} exists; import writes new modules only (move it, or import into another --out)`);
    const { plans, findings, rules } = plan(json, options.fix ?? false);
    const source = dashboardModule(
      json,
      plans,
      { file: basename(file), conversions, findings, rules, fixed: options.fix ?? false, folder: options.folder },
      sdk.dashboard,
    );
    const formatted = await prettier.format(source, { parser: 'typescript', singleQuote: true, printWidth: 120 });
    await mkdir(out, { recursive: true });
    await writeFile(module, formatted);
    const panelPlans = [...plans.values()];
    results.push({
      file,
      module,
      panels: panelPlans.length,
      builders: panelPlans.filter((panelPlan) => panelPlan.call).length,
      findings:
        findings.length +
        panelPlans.filter((panelPlan) => !panelPlan.call).reduce((count, panelPlan) => count + panelPlan.findings.length, 0),
    });
  }
  return results;
}
