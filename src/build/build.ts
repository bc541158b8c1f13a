/**
 * From dashboard modules to provisioning files: find the modules, import them (TypeScript
 * through tsx), build and validate every dashboard, and compute the tree.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { LintConfig } from '../dashboards/lintConfig.js';
import { checkDashboard } from '../check/dashboard.js';
import {
  provisioningTree,
  serializeDashboard,
  sortedByPath,
  type BuiltDashboard,
  type ProvisioningOptions,
} from './provisioning.js';
import { isOwnRecordedName, recordedSeries, type RuleGroup } from '../../alerts/index.js';
import { defaultScrapeInterval, isPositiveDuration, type MetricsProfile } from '../../queries/index.js';
import { checkDashboardWindows, checkRuleWindows } from '../check/scrapeWindows.js';
import { expressionFacts, type SelectorUse } from '../check/expressionFacts.js';
import { allPanels, promqlTargets } from '../dashboards/walk.js';
import { BuildError, quoted } from '../check/errors.js';
import { checkRuleGroup } from '../check/rules.js';
import { metricKinds, type MetricKinds } from '../check/lint.js';
import { kubernetesWriter, loadKubernetesModels, type KubernetesOptions } from './kubernetes.js';

const moduleExtensions = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const typeScriptExtensions = new Set(['.ts', '.mts', '.cts']);
const declarationFile = /\.d\.[cm]?ts$/;

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
        .filter((entry) => moduleExtensions.has(extname(entry.name)) && !declarationFile.test(entry.name))
        .filter((entry) => entry.isFile() || entry.isSymbolicLink())
        .map((entry) => join(input, entry.name))
        .sort();
      // A symlinked module is read like any other; one that points nowhere or at a folder is refused, never skipped.
      for (const module of modules) {
        const target = await stat(module).catch(() => undefined);
        if (!target?.isFile()) throw new BuildError(`${module}: a symlink to ${target ? 'a folder' : 'nothing'}, not a module`);
      }
      files.push(...modules);
    } else if (moduleExtensions.has(extname(input))) {
      files.push(input);
    } else {
      throw new BuildError(`${input}: not a dashboard module (expected .ts, .mts, .cts, .js, .mjs or .cjs)`);
    }
  }
  return [...new Set(files)];
}

let typeScriptLoader: Promise<unknown> | undefined;

/** The `type` of the package.json nearest above `file`: how Node reads its `.js` and `.ts` files. */
function packageType(file: string): string {
  for (let directory = dirname(resolve(file)); ; directory = dirname(directory)) {
    try {
      return (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return 'commonjs';
    }
    if (dirname(directory) === directory) return 'commonjs';
  }
}

/** Whether Node runs `file` as CommonJS: `.cts` and `.cjs`, and `.ts` and `.js` outside a `"type": "module"` package. */
function isCommonJs(file: string): boolean {
  const extension = extname(file);
  if (extension === '.cts' || extension === '.cjs') return true;
  if (extension === '.mts' || extension === '.mjs') return false;
  return packageType(file) !== 'module';
}

/**
 * Imports a module, through tsx's loaders where it is TypeScript or `.js` with `import` syntax
 * in a CommonJS package (`npm init` writes `"type": "commonjs"`), which Node 20 does not run.
 * tsx is registered once (it costs start-up time) and for the process, so a module's
 * `import 'inferboard'` shares the modules already loaded instead of loading a copy. A module
 * Node runs as CommonJS is loaded with `require()`, compiled by tsx's require hook; its own
 * `require('inferboard')` then loads the ES module (Node 20.19 and later).
 */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const commonJs = isCommonJs(file);
  if (typeScriptExtensions.has(extname(file)) || (commonJs && extname(file) === '.js')) {
    typeScriptLoader ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(([esm, cjs]) => {
      esm.register();
      cjs.register();
    });
    await typeScriptLoader;
  }
  if (!commonJs) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  let exported: unknown;
  try {
    exported = createRequire(import.meta.url)(resolve(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new BuildError(
        `${display(file)}: Node ${process.versions.node} runs it as CommonJS, which cannot require() inferboard, an ES module, before Node 20.19: use Node 20.19 or newer, or make it a module ("type": "module" in its package.json, or the .mts or .mjs extension)`,
      );
    }
    throw error;
  }
  // Compiled from `export default` (tsx): the exports are the module's; plain `module.exports = x`: x is its default.
  const compiled = typeof exported === 'object' && exported !== null && (exported as { __esModule?: boolean }).__esModule;
  return compiled ? (exported as Record<string, unknown>) : { default: exported };
}

/** Where inferboard's own modules are (panels/, queries/, src/ ...), its dependencies excluded. */
const ownCode = fileURLToPath(new URL('../..', import.meta.url));
const isOwnCode = (path: string) => {
  const inside = relative(ownCode, path);
  return !inside.startsWith('..') && !inside.split(sep).includes('node_modules');
};

/**
 * The line of `file` an error was thrown from, when something other than inferboard threw it
 * (the Foundation SDK, the module itself) or it is an option error: inferboard's other errors
 * name panel and field already.
 */
function foreignThrowLine(error: unknown, file: string): number | undefined {
  const frames = [...((error instanceof Error && error.stack) || '').matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+/g)];
  const [thrower] = frames;
  // An option error is inferboard's, but the module's line that passed the option is what to fix.
  const isOptionError = error instanceof Error && error.name === 'OptionsError';
  if (!thrower || (isOwnCode(decodeURI(thrower[1] ?? '')) && !isOptionError)) return undefined;
  const path = resolve(file);
  const inModule = frames.find((frame) => decodeURI(frame[1] ?? '') === path);
  return inModule ? Number(inModule[2]) : undefined;
}

/** Default of {@link BuildOptions.loadTimeout}, in seconds. */
export const defaultLoadTimeout = 30;

/** Imports a module, failing after `seconds`: a top-level await that never settles must not hang the build. */
async function importWithin(file: string, seconds: number): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BuildError(
            `${display(file)}: did not finish loading within ${seconds} s (a top-level await that never settles?); raise --load-timeout if it needs longer`,
          ),
        ),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([importModule(file), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one-line message of an error a dashboard module raised outside the build's awaits (a
 * timer that throws, a rejection nobody handles), naming the module its stack runs through.
 */
export function moduleFailureMessage(error: unknown, modules: readonly string[]): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const culprit = modules.find((file) => {
    const path = resolve(file);
    return stack.includes(pathToFileURL(path).href) || stack.includes(path);
  });
  const where = culprit === undefined ? 'a dashboard module' : display(culprit);
  return `${where}: failed outside the build (an unhandled rejection or a throw in a callback): ${firstLine(error)}`;
}

interface Buildable {
  build(): unknown;
  readonly folder?: string;
  readonly lint?: LintConfig;
  readonly servers?: readonly MetricsProfile[];
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
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RuleGroup).name === 'string' &&
    Array.isArray((value as RuleGroup).rules)
  );
}

/** A module's default export, loaded: one item or an array of them. */
interface ModuleExports {
  readonly name: string;
  readonly module: Record<string, unknown>;
  readonly isArray: boolean;
  readonly items: readonly unknown[];
}

/** Imports a module and checks that its default export can be what a build takes. */
async function importExports(file: string, loadTimeout: number): Promise<ModuleExports> {
  const name = display(file);
  let module: Record<string, unknown>;
  try {
    module = await importWithin(file, loadTimeout);
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const line = foreignThrowLine(error, file);
    throw new BuildError(`${name}${line === undefined ? '' : `:${line}`}: cannot load module: ${firstLine(error)}`);
  }
  // tsx may wrap a TypeScript module's default export once more.
  let exported = module.default;
  if (exported && typeof exported === 'object' && 'default' in exported && !isBuildable(exported) && !Array.isArray(exported)) {
    exported = (exported as { default: unknown }).default;
  }
  if (exported === undefined) throw new BuildError(`${name}: exports no default dashboard`);
  if (typeof exported === 'function')
    throw new BuildError(
      `${name}: default export is a function; export what it returns (a dashboard, a builder, a rule group or an array of them)`,
    );
  if (typeof exported === 'object' && exported !== null && typeof (exported as { then?: unknown }).then === 'function')
    throw new BuildError(`${name}: default export is a promise; await it in the module (top-level await) and export the result`);
  const items = Array.isArray(exported) ? exported : [exported];
  if (items.length === 0) throw new BuildError(`${name}: default export is an empty array`);
  return { name, module, isArray: Array.isArray(exported), items };
}

const itemName = ({ name, isArray }: ModuleExports, index: number) => (isArray ? `${name} [${index}]` : name);

/** The rule groups a module exports, each checked. */
function ruleGroupsIn(exports: ModuleExports): LoadedRuleGroup[] {
  const ruleGroups: LoadedRuleGroup[] = [];
  exports.items.forEach((item, index) => {
    if (!isRuleGroup(item)) return;
    const where = `${itemName(exports, index)}: rule group ${JSON.stringify(item.name)}`;
    checkRuleGroup(item, where);
    ruleGroups.push({ group: item, where });
  });
  return ruleGroups;
}

/**
 * Builds and checks each dashboard a module exports, handing each to `onDashboard` as it comes;
 * lint findings (read with `kinds`) are added to `findings`.
 */
function buildDashboards(
  exports: ModuleExports,
  findings: string[],
  onDashboard: (dashboard: BuiltDashboard) => void,
  kinds: MetricKinds,
): void {
  const { module } = exports;
  const moduleFolder = typeof module.folder === 'string' ? module.folder : undefined;
  exports.items.forEach((item, index) => {
    if (isRuleGroup(item)) return;
    const at = itemName(exports, index);
    let built: unknown;
    try {
      built = isBuildable(item) ? item.build() : item;
    } catch (error) {
      throw new BuildError(`${at}: building the dashboard failed: ${firstLine(error)}`);
    }
    if (!isDashboardJson(built)) {
      throw new BuildError(`${at}: default export is not a dashboard, a dashboard builder, a rule group, or an array of them`);
    }
    let text: string;
    try {
      text = serializeDashboard(built);
    } catch (error) {
      throw new BuildError(`${at}: building the dashboard failed: ${firstLine(error)}`);
    }
    // The checks read what the file will hold: no helper functions or undefined values of builders, and
    // objects as JSON.parse makes them, which the schema validators read 2-3 times faster than builder output.
    const json = JSON.parse(text) as grafana.Dashboard;
    const where = `${at}: dashboard ${quoted(json.title ?? '')} (${json.uid ?? 'no uid'})`;
    const folder = isBuildable(item) && typeof item.folder === 'string' ? item.folder : moduleFolder;
    const lint = (isBuildable(item) && item.lint) || (module.lint as LintConfig | undefined);
    const verdict = checkDashboard(json, where, lint, kinds);
    if (verdict.error !== undefined) throw new BuildError(verdict.error);
    findings.push(...verdict.findings);
    const servers = isBuildable(item) && Array.isArray(item.servers) ? item.servers : undefined;
    onDashboard({ json, text, folder, where, lint, ...(servers ? { servers } : {}) });
  });
}

/** How modules are loaded. */
export interface LoadOptions {
  /** Seconds a module may take to load (its top-level awaits included). Default 30. */
  readonly loadTimeout?: number;
}

/**
 * Options of a build: where the tree points ({@link ProvisioningOptions}), how modules load, and
 * the Kubernetes objects written beside the tree (none by default).
 */
export interface BuildOptions extends ProvisioningOptions, LoadOptions {
  readonly kubernetes?: KubernetesOptions;
}

/** What a build made. */
export interface BuildCounts {
  readonly files: number;
  readonly dashboards: number;
  readonly panels: number;
  /** Alerting rules. */
  readonly rules: number;
  readonly ruleGroups: number;
}

/** The result of {@link buildTree}: every file of the tree and what went into it. */
export interface BuildResult {
  readonly files: Map<string, string>;
  readonly dashboards: number;
  readonly panels: number;
  readonly rules: number;
}

/** Where a build puts each file as soon as it is made: a staged output tree, or a map. */
export interface TreeSink {
  add(path: string, content: string): void;
}

/** Whether a rule writes the series `use` selects: same name, and its fixed labels agree with every `=` matcher. */
function isRecorded(use: SelectorUse, recorded: ReturnType<typeof recordedSeries>): boolean {
  return (recorded.get(use.metric) ?? []).some((labels) =>
    use.matchers.every(
      (matcher) => matcher.operator !== '=' || !(matcher.label in labels) || labels[matcher.label] === matcher.value,
    ),
  );
}

/** A target that may read a recorded series (`level:metric:operation`), kept to check once every rule group is known. */
interface RecordedRead {
  readonly where: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

const isWordCode = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/** Whether `expr` may name a recorded series (`level:metric:operation`): a colon between word characters. */
function mayReadRecordedSeries(expr: string): boolean {
  // From colon to colon: most queries have none, or one in a subquery's `[$__range:$__rate_interval]`.
  for (let colon = expr.indexOf(':'); colon !== -1; colon = expr.indexOf(':', colon + 1)) {
    if (isWordCode(expr.charCodeAt(colon - 1)) && isWordCode(expr.charCodeAt(colon + 1))) return true;
  }
  return false;
}

/** The targets of a dashboard whose expression names a recorded series. */
function recordedReads({ json, where }: BuiltDashboard): RecordedRead[] {
  const reads: RecordedRead[] = [];
  for (const panel of allPanels(json)) {
    for (const target of promqlTargets<{ refId?: string; expr?: unknown }>(panel)) {
      if (typeof target.expr === 'string' && mayReadRecordedSeries(target.expr)) {
        reads.push({ where, panel: panel.title ?? '', refId: target.refId ?? '?', expr: target.expr });
      }
    }
  }
  return reads;
}

/** A panel that reads a recorded series needs a rule of this build that records it. */
function checkRecordedReads(reads: readonly RecordedRead[], ruleGroups: readonly LoadedRuleGroup[]): void {
  if (reads.length === 0) return;
  const recorded = recordedSeries(ruleGroups.map(({ group }) => group));
  for (const { where, panel, refId, expr } of reads) {
    const missing = expressionFacts(expr).selectors.find((use) => isOwnRecordedName(use.metric) && !isRecorded(use, recorded));
    if (missing) {
      const labels = missing.matchers
        .filter((matcher) => matcher.operator === '=')
        .map((matcher) => `${matcher.label}="${matcher.value}"`);
      throw new BuildError(
        `${where}: panel ${quoted(panel)} target ${refId}: reads ${missing.metric}` +
          `${labels.length > 0 ? `{${labels.join(',')}}` : ''}, which no rule group of this build records (export recordingRules() or sloRules() too)`,
      );
    }
  }
}

/**
 * Loads every module of `inputs` in order, handing each dashboard to `onDashboard` as soon as
 * it is built and checked (save rules, schema, PromQL, lint). Throws a {@link BuildError}: the
 * first problem in input order, or every lint finding, one per line.
 */
async function loadEach(
  inputs: readonly string[],
  onDashboard: (dashboard: BuiltDashboard) => void,
  { loadTimeout = defaultLoadTimeout }: LoadOptions,
): Promise<LoadedRuleGroup[]> {
  if (!(Number.isFinite(loadTimeout) && loadTimeout > 0))
    throw new BuildError(`load timeout ${JSON.stringify(loadTimeout)} is not a positive number of seconds`);
  const modules = await findModules(inputs);
  if (modules.length === 0) throw new BuildError(`${inputs.join(', ')}: no dashboard modules found`);
  const ruleGroups: LoadedRuleGroup[] = [];
  const findings: string[] = [];
  const reads: RecordedRead[] = [];
  const take = (dashboard: BuiltDashboard) => {
    reads.push(...recordedReads(dashboard));
    onDashboard(dashboard);
  };
  // Every module first: lint reads which series the rule groups record, whichever module exports them.
  const loaded: ModuleExports[] = [];
  for (const file of modules) loaded.push(await importExports(file, loadTimeout));
  ruleGroups.push(...loaded.flatMap(ruleGroupsIn));
  const kinds = metricKinds(undefined, recordedSeries(ruleGroups.map(({ group }) => group)).keys());
  for (const exports of loaded) buildDashboards(exports, findings, take, kinds);
  if (findings.length > 0) throw new BuildError(findings.join('\n'));
  checkRecordedReads(reads, ruleGroups);
  return ruleGroups;
}

/**
 * Every dashboard and rule group of `inputs`, built, checked (save rules, schema, PromQL) and
 * linted. Throws a {@link BuildError}: the first problem in input order, or every lint finding,
 * one per line.
 */
export async function loadAll(inputs: readonly string[], options: LoadOptions = {}): Promise<LoadedModule> {
  const dashboards: BuiltDashboard[] = [];
  const ruleGroups = await loadEach(inputs, (dashboard) => dashboards.push(dashboard), options);
  return { dashboards, ruleGroups };
}

/**
 * Builds every dashboard of `inputs` into the files of a provisioning tree, each file handed to
 * `sink` as soon as its dashboard is checked, so a large build neither holds every dashboard
 * nor waits for the last one to start writing. When it throws, files already handed over
 * belong to a build that failed: a staged tree is discarded.
 */
export async function buildInto(sink: TreeSink, inputs: readonly string[], options: BuildOptions = {}): Promise<BuildCounts> {
  let files = 0;
  if (options.schema !== undefined && options.schema !== 'v1' && options.schema !== 'v2')
    throw new BuildError(`schema ${JSON.stringify(options.schema)} is not v1 or v2`);
  const kubernetes = options.kubernetes
    ? await loadKubernetesModels().then((models) => provisioned(() => kubernetesWriter(options.kubernetes!, models)))
    : undefined;
  const tree = provisioningTree(
    options,
    (path, content) => {
      files += 1;
      sink.add(path, content);
    },
    kubernetes,
  );
  let dashboards = 0;
  let panels = 0;
  const scrapeInterval = options.scrapeInterval ?? defaultScrapeInterval;
  if (!isPositiveDuration(scrapeInterval) || /\d[dwy]/.test(scrapeInterval)) {
    throw new BuildError(`scrape interval ${JSON.stringify(scrapeInterval)} is not a Prometheus duration such as 15s`);
  }
  const ruleGroups = await loadEach(
    inputs,
    (dashboard) => {
      dashboards += 1;
      for (const panel of allPanels(dashboard.json)) if (panel.type !== 'row') panels += 1;
      checkDashboardWindows(dashboard.json, dashboard.where, scrapeInterval);
      provisioned(() => tree.addDashboard(dashboard));
    },
    options,
  );
  for (const { group, where } of ruleGroups) checkRuleWindows(group, where, scrapeInterval);
  provisioned(() => {
    for (const { group, where } of ruleGroups) tree.addRuleGroup(group, where);
    tree.finish();
  });
  const rules = ruleGroups.reduce((count, { group }) => count + group.rules.filter((rule) => 'alert' in rule).length, 0);
  return { files, dashboards, panels, rules, ruleGroups: ruleGroups.length };
}

/** Runs a provisioning step; its errors (a uid or title used twice, a bad folder) are build errors. */
function provisioned<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new BuildError(firstLine(error));
  }
}

/** Builds every dashboard of `inputs` into the files of a provisioning tree, sorted by path. */
export async function buildTree(inputs: readonly string[], options: BuildOptions = {}): Promise<BuildResult> {
  const files = new Map<string, string>();
  const { dashboards, panels, rules } = await buildInto({ add: (path, content) => files.set(path, content) }, inputs, options);
  return { files: sortedByPath(files), dashboards, panels, rules };
}
