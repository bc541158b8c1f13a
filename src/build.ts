/**
 * From dashboard modules to provisioning files: find the modules, import them (TypeScript
 * through tsx), build and validate every dashboard, and compute the tree.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { LintConfig } from './lint.js';
import { checkDashboard } from './checks.js';
import { plainCopy, plainJson } from './dashboard.js';
import { provisioningFiles, type BuiltDashboard, type ProvisioningOptions } from './provisioning.js';
import { recordedSeries, type RuleGroup } from '../alerts/index.js';
import { expressionFacts, type SelectorUse } from './promqlSyntax.js';
import { allPanels, BuildError, checkPromql } from './validate.js';

const moduleExtensions = new Set(['.ts', '.mts', '.js', '.mjs']);
const typeScriptExtensions = new Set(['.ts', '.mts']);

/** Shown relative to the working directory, as a user typed it. */
function display(file: string): string {
  return relative(process.cwd(), file) || file;
}

/** The first line of an error, joined with the next when it only announces it ("Transform failed with 1 error:"). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = 'unknown error', second] = message.split('\n').filter((line) => line.trim() !== '');
  return first.trimEnd().endsWith(':') && second ? `${first.trim()} ${second.trim()}` : first;
}

/** Module files of the inputs: files as given, and the module files directly inside folders, sorted. */
export async function findModules(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new BuildError(`${input}: cannot read input (${(error as NodeJS.ErrnoException).code ?? firstLine(error)})`);
    }
    if (info.isDirectory()) {
      let names;
      try {
        names = await readdir(input, { withFileTypes: true });
      } catch (error) {
        throw new BuildError(`${input}: cannot read folder (${(error as NodeJS.ErrnoException).code ?? firstLine(error)})`);
      }
      const modules = names
        .filter((entry) => entry.isFile() && moduleExtensions.has(extname(entry.name)) && !entry.name.endsWith('.d.ts'))
        .map((entry) => join(input, entry.name))
        .sort();
      files.push(...modules);
    } else if (moduleExtensions.has(extname(input))) {
      files.push(input);
    } else {
      throw new BuildError(`${input}: not a dashboard module (expected .ts, .mts, .js or .mjs)`);
    }
  }
  return [...new Set(files)];
}

let typeScriptLoader: Promise<unknown> | undefined;

/**
 * Imports a module, TypeScript through tsx's loader, registered once and only when needed (it
 * costs start-up time). Registered for the process rather than per import, so a dashboard
 * module's `import 'inferboard'` shares the modules already loaded instead of loading a copy.
 */
async function importModule(file: string): Promise<Record<string, unknown>> {
  // The public API is loaded first: modules loaded after registration pay for tsx's hooks.
  if (typeScriptExtensions.has(extname(file))) typeScriptLoader ??= import('./index.js').then(() => import('tsx/esm/api')).then(({ register }) => register());
  await typeScriptLoader;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

interface Buildable {
  build(): unknown;
  readonly folder?: string;
  readonly lint?: LintConfig;
}

function isBuildable(value: unknown): value is Buildable {
  return typeof value === 'object' && value !== null && typeof (value as Buildable).build === 'function';
}

function isDashboardJson(value: unknown): value is grafana.Dashboard {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as grafana.Dashboard;
  return typeof candidate.title === 'string' && (Array.isArray(candidate.panels) || typeof candidate.schemaVersion === 'number');
}

/** A rule group a module exports, and where it came from. */
export interface LoadedRuleGroup {
  readonly group: RuleGroup;
  /** `file: rule group "name"`. */
  readonly where: string;
}

/** What one module exports: dashboards and Prometheus rule groups. */
export interface LoadedModule {
  readonly dashboards: BuiltDashboard[];
  readonly ruleGroups: LoadedRuleGroup[];
}

function isRuleGroup(value: unknown): value is RuleGroup {
  return typeof value === 'object' && value !== null && typeof (value as RuleGroup).name === 'string' && Array.isArray((value as RuleGroup).rules);
}

const groupNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;

/** Checks a rule group: a file-safe name, and alert expressions that parse. */
function checkRuleGroup(group: RuleGroup, where: string): void {
  if (!groupNamePattern.test(group.name)) throw new BuildError(`${where}: the name must be 1-100 characters of A-Z a-z 0-9 _ . -`);
  for (const rule of group.rules) {
    const error = checkPromql(rule.expr);
    if (error) {
      const name = 'alert' in rule ? `alert ${JSON.stringify(rule.alert)}` : `record ${JSON.stringify(rule.record)}`;
      throw new BuildError(`${where}: ${name}: PromQL syntax error at line ${error.line}, column ${error.column}: ${error.message}`);
    }
  }
}

/**
 * The dashboards and rule groups a module exports by default: a dashboard, a builder, a rule
 * group, or an array of them, each dashboard built and checked; lint findings are added to
 * `findings`.
 */
async function loadModule(file: string, findings: string[]): Promise<LoadedModule> {
  const name = display(file);
  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (error) {
    throw new BuildError(`${name}: cannot load module: ${firstLine(error)}`);
  }
  // tsx may wrap a TypeScript module's default export once more.
  let exported = module.default;
  if (exported && typeof exported === 'object' && 'default' in exported && !isBuildable(exported) && !Array.isArray(exported)) {
    exported = (exported as { default: unknown }).default;
  }
  if (exported === undefined) throw new BuildError(`${name}: exports no default dashboard`);
  const moduleFolder = typeof module.folder === 'string' ? module.folder : undefined;
  const items = Array.isArray(exported) ? exported : [exported];
  if (items.length === 0) throw new BuildError(`${name}: default export is an empty array`);
  const ruleGroups: LoadedRuleGroup[] = [];
  const dashboards: BuiltDashboard[] = [];
  items.forEach((item, index) => {
    const at = Array.isArray(exported) ? `${name} [${index}]` : name;
    if (isRuleGroup(item)) {
      const where = `${at}: rule group ${JSON.stringify(item.name)}`;
      checkRuleGroup(item, where);
      ruleGroups.push({ group: item, where });
      return;
    }
    let json: unknown;
    try {
      // Check what will be written: a copy without the helper functions SDK builders carry,
      // unless the dashboard says its build() returns plain JSON already.
      const built = isBuildable(item) ? item.build() : item;
      json = isBuildable(item) && (item as { [plainJson]?: true })[plainJson] ? built : plainCopy(built);
    } catch (error) {
      throw new BuildError(`${at}: building the dashboard failed: ${firstLine(error)}`);
    }
    if (!isDashboardJson(json)) {
      throw new BuildError(`${at}: default export is not a dashboard, a dashboard builder, a rule group, or an array of them`);
    }
    const where = `${at}: dashboard ${JSON.stringify((json.title ?? '').slice(0, 80))} (${json.uid ?? 'no uid'})`;
    const folder = isBuildable(item) && typeof item.folder === 'string' ? item.folder : moduleFolder;
    const lint = (isBuildable(item) && item.lint) || (module.lint as LintConfig | undefined);
    const verdict = checkDashboard(json, where, lint);
    if (verdict.error !== undefined) throw new BuildError(verdict.error);
    findings.push(...verdict.findings);
    dashboards.push({ json, folder, where, lint });
  });
  return { dashboards, ruleGroups };
}

/** The result of a build: every file of the tree and what went into it. */
export interface BuildResult {
  readonly files: Map<string, string>;
  readonly dashboards: number;
  readonly panels: number;
  readonly rules: number;
}

/** Whether a rule writes the series `use` selects: same name, and its fixed labels agree with every `=` matcher. */
function isRecorded(use: SelectorUse, recorded: ReturnType<typeof recordedSeries>): boolean {
  return (recorded.get(use.metric) ?? []).some((labels) =>
    use.matchers.every((matcher) => matcher.operator !== '=' || !(matcher.label in labels) || labels[matcher.label] === matcher.value),
  );
}

/** A panel that reads a recorded series (`level:metric:operation`) needs a rule of this build that records it. */
function checkRecordedSeries(dashboards: readonly BuiltDashboard[], ruleGroups: readonly LoadedRuleGroup[]): void {
  const recorded = recordedSeries(ruleGroups.map(({ group }) => group));
  for (const { json, where } of dashboards) {
    for (const panel of allPanels(json)) {
      for (const target of (panel.targets ?? []) as { refId?: string; expr?: unknown }[]) {
        // Only a `level:metric:operation` name needs the parse (a linear test: no backtracking over identifiers).
        if (typeof target.expr !== 'string' || !/\w:\w/.test(target.expr)) continue;
        const missing = expressionFacts(target.expr).selectors.find((use) => use.metric.includes(':') && !isRecorded(use, recorded));
        if (missing) {
          const labels = missing.matchers.filter((matcher) => matcher.operator === '=').map((matcher) => `${matcher.label}="${matcher.value}"`);
          throw new BuildError(
            `${where}: panel ${JSON.stringify(panel.title ?? '')} target ${target.refId ?? '?'}: reads ${missing.metric}` +
              `${labels.length > 0 ? `{${labels.join(',')}}` : ''}, which no rule group of this build records (export recordingRules() or sloRules() too)`,
          );
        }
      }
    }
  }
}

/**
 * Every dashboard and rule group of `inputs`, built, checked (save rules, schema, PromQL) and
 * linted. Throws a {@link BuildError}: the first problem in input order, or every lint finding,
 * one per line.
 */
export async function loadAll(inputs: readonly string[]): Promise<LoadedModule> {
  const modules = await findModules(inputs);
  if (modules.length === 0) throw new BuildError(`${inputs.join(', ')}: no dashboard modules found`);
  const dashboards: BuiltDashboard[] = [];
  const ruleGroups: LoadedRuleGroup[] = [];
  const findings: string[] = [];
  for (const file of modules) {
    const loaded = await loadModule(file, findings);
    dashboards.push(...loaded.dashboards);
    ruleGroups.push(...loaded.ruleGroups);
  }
  if (findings.length > 0) throw new BuildError(findings.join('\n'));
  checkRecordedSeries(dashboards, ruleGroups);
  return { dashboards, ruleGroups };
}

/** Builds every dashboard of `inputs` into the files of a provisioning tree. */
export async function buildTree(inputs: readonly string[], options: ProvisioningOptions = {}): Promise<BuildResult> {
  const { dashboards, ruleGroups } = await loadAll(inputs);
  let files;
  try {
    files = provisioningFiles(dashboards, options, ruleGroups);
  } catch (error) {
    throw new BuildError(firstLine(error));
  }
  const panels = dashboards.reduce((count, { json }) => count + allPanels(json).filter((panel) => panel.type !== 'row').length, 0);
  const rules = ruleGroups.reduce((count, { group }) => count + group.rules.filter((rule) => 'alert' in rule).length, 0);
  return { files, dashboards: dashboards.length, panels, rules };
}
