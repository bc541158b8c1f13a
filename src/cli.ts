#!/usr/bin/env node
/**
 * build-dashboards: turns dashboard modules into a Grafana provisioning tree.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BuildCounts } from './build/build.js';
import type { KubernetesOptions } from './build/kubernetes.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface CliOptions {
  out: string;
  check?: boolean;
  prometheusUrl: string;
  dashboardsPath: string;
  scrapeInterval: string;
  loadTimeout: number;
  schema: 'v1' | 'v2';
  kubernetes?: boolean;
  namespace?: string;
  dashboardLabel?: Record<string, string>;
  folderAnnotation?: string;
  grafanaOperator?: boolean;
  instanceSelector?: Record<string, string>;
  prometheusLabel?: Record<string, string>;
  serviceLabel?: string;
  serverSideApply?: boolean;
}

/** The Kubernetes options of the command line; each needs --kubernetes, which their defaults follow. */
function kubernetesOptions(options: CliOptions): KubernetesOptions | undefined {
  const given = (
    [
      ['--namespace', options.namespace],
      ['--dashboard-label', options.dashboardLabel],
      ['--folder-annotation', options.folderAnnotation],
      ['--grafana-operator', options.grafanaOperator],
      ['--instance-selector', options.instanceSelector],
      ['--prometheus-label', options.prometheusLabel],
      ['--service-label', options.serviceLabel],
      ['--server-side-apply', options.serverSideApply],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (!options.kubernetes) {
    if (given.length > 0) throw new InvalidArgumentError(`${given[0]![0]} needs --kubernetes`);
    return undefined;
  }
  if (options.instanceSelector && !options.grafanaOperator)
    throw new InvalidArgumentError('--instance-selector needs --grafana-operator');
  const [dashboardLabel] = Object.entries(options.dashboardLabel ?? {});
  return {
    namespace: options.namespace,
    dashboards: options.grafanaOperator ? 'grafana-operator' : 'configmap',
    dashboardLabel: dashboardLabel && { name: dashboardLabel[0], value: dashboardLabel[1] },
    folderAnnotation: options.folderAnnotation,
    instanceSelector: options.instanceSelector,
    prometheusLabels: options.prometheusLabel,
    serviceLabel: options.serviceLabel,
    serverSideApply: options.serverSideApply,
  };
}

/** A commander parser of repeatable `name=value` pairs into one record; the error names the option. */
function labelPairs(
  option: string,
  repeatable = true,
): (value: string, previous?: Record<string, string>) => Record<string, string> {
  return (value, previous) => {
    const match = /^([^=\s]+)=([^=\s]*)$/.exec(value);
    if (!match) throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not name=value`);
    if (!repeatable && previous) throw new InvalidArgumentError(`${option} is given twice`);
    return { ...previous, [match[1]!]: match[2]! };
  };
}

/**
 * Runs `work` until it settles, a dashboard module fails outside it (a timer that throws, an
 * unhandled rejection), or SIGINT or SIGTERM arrives; `cleanUp` runs first in the last two cases.
 * Both become one-line errors; a signal exits with 128 + its number, as a shell reports it,
 * unless `cleanUp` finds nothing to undo (the output was written): then the work finishes.
 * A module failing after the work is done still ends the process with one line and exit 1.
 */
async function guarded<T>(
  inputs: readonly string[],
  work: () => Promise<T>,
  cleanUp: () => Promise<boolean> = async () => true,
): Promise<T> {
  // Known before any module loads, so a failure is reported the instant it happens.
  const { findModules, moduleFailureMessage } = await import('./build/build.js');
  const modules = await findModules(inputs).catch(() => []);
  let settled = false;
  // Once a signal arrived: the clean-up that ends in its exit, which the work's own failure must not overtake.
  let stopping: Promise<void> | undefined;
  let failed: (error: Error) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (failed = reject));
  const onFailure = (error: unknown) => {
    const failure = new Error(moduleFailureMessage(error, modules));
    if (!settled) return failed(failure);
    console.error(`build-dashboards: ${failure.message}`);
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopping ??= cleanUp().then((undone) => {
      if (!undone) return;
      console.error(`build-dashboards: stopped by ${signal}; nothing was written`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  };
  process.on('uncaughtException', onFailure).on('unhandledRejection', onFailure);
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await Promise.race([work(), interrupted]);
  } catch (error) {
    await (stopping ?? cleanUp());
    throw error;
  } finally {
    settled = true;
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** A commander parser of a whole number in `min`-`max`; the error names the option and the value. */
function wholeNumber(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max))
      throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
    return number;
  };
}

/** A commander parser of an http(s) URL; the error names the option and the value. */
function httpUrl(option: string, example = 'https://grafana.example.com'): (value: string) => string {
  return (value) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not an http(s) URL such as ${example}`);
    }
    return value;
  };
}

const program = new Command()
  .name('build-dashboards')
  .description(
    'Build Grafana dashboards from TypeScript/JavaScript modules into a provisioning tree.\n' +
      'Each input is a module (.ts, .mts, .js, .mjs) whose default export is a dashboard, a builder, an alert\n' +
      'rule group, or an array of them, or a folder whose module files (not subfolders) are all read.\n' +
      'Default input: examples/.',
  )
  .version(version)
  // Options after a subcommand (`preview --out`) belong to it, not to the build.
  .enablePositionalOptions()
  // The public API dashboard modules import, loaded before tsx registers its hooks: modules
  // loaded after registration pay for them (docs/performance.md).
  .hook('preAction', async () => {
    await import('./index.js');
  })
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .option(
    '-o, --out <dir>',
    'output folder (a symlink is followed); its files are updated in place, each atomically',
    'dist/grafana',
  )
  .option('--check', 'write nothing; exit 1 listing files that are missing, stale or extra')
  .option(
    '--prometheus-url <url>',
    'URL Grafana reaches Prometheus at',
    httpUrl('--prometheus-url', 'http://prometheus:9090'),
    'http://prometheus:9090',
  )
  .option('--dashboards-path <path>', "where Grafana mounts the output's dashboards/ folder", '/var/lib/grafana/dashboards')
  .option(
    '--scrape-interval <duration>',
    "Prometheus's scrape interval: the datasource's, for $__rate_interval; a rule or panel window under two of it fails the build",
    '15s',
  )
  .option('--load-timeout <seconds>', 'seconds a dashboard module may take to load', wholeNumber('--load-timeout', 1, 86400), 30)
  .addOption(
    new Option(
      '--schema <version>',
      "dashboards as classic JSON (v1) or as Grafana 13's dashboard.grafana.app/v2 resources (v2), which its file provisioning reads",
    )
      .choices(['v1', 'v2'])
      .default('v1'),
  )
  .optionsGroup('Kubernetes objects (with --kubernetes):')
  .option(
    '--kubernetes',
    'also write <out>/kubernetes/: the dashboards, rule groups and a ServiceMonitor per server as YAML for kubectl apply -f',
  )
  .option('--namespace <name>', 'namespace of every object (default: monitoring)')
  .option(
    '--dashboard-label <name=value>',
    "the label Grafana's sidecar selects dashboard ConfigMaps by (default: grafana_dashboard=1)",
    labelPairs('--dashboard-label', false),
  )
  .option(
    '--folder-annotation <name>',
    "the ConfigMap annotation the sidecar reads a dashboard's folder from (default: grafana_folder)",
  )
  .option('--grafana-operator', "dashboards as the grafana-operator's GrafanaDashboard resources instead of ConfigMaps")
  .option(
    '--instance-selector <name=value>',
    'with --grafana-operator, required: a label of the Grafana resources to provision into; repeatable',
    labelPairs('--instance-selector'),
  )
  .option(
    '--prometheus-label <name=value>',
    "a label of the PrometheusRules and ServiceMonitors; kube-prometheus-stack's Prometheus selects them by release=<helm release> and ignores the rest; repeatable (default: release=kube-prometheus-stack)",
    labelPairs('--prometheus-label'),
  )
  .option(
    '--service-label <name>',
    "the Service label a ServiceMonitor selects a server by; its value is the server's job (default: app.kubernetes.io/name)",
  )
  .option(
    '--server-side-apply',
    'the objects are applied with kubectl apply --server-side: a dashboard may fill 1 MiB, not the 256 KiB client-side apply keeps',
  )
  .optionsGroup('Options:')
  .addHelpText(
    'after',
    '\nEvery dashboard is parsed and linted before anything is written (rules: see README, "Lint rules").\n' +
      '\nOutput:\n' +
      '  <out>/provisioning/   mount at /etc/grafana/provisioning (dashboard provider + Prometheus datasource)\n' +
      '  <out>/dashboards/     mount at --dashboards-path (one folder per Grafana folder)\n' +
      '  <out>/prometheus/rules/   Prometheus rule files (rule groups the modules export)\n' +
      '  <out>/kubernetes/     with --kubernetes, beside the rest: ConfigMaps or GrafanaDashboards, PrometheusRules,\n' +
      '                        ServiceMonitors (kubectl apply -f <out>/kubernetes/)\n' +
      '\nExit codes: 0 built (or up to date with --check), 1 invalid input or stale output.',
  )
  .action(async (inputs: string[], options: CliOptions) => {
    const started = performance.now();
    // Loaded here, not at the top, so --help and --version start instantly.
    const [{ buildInto, buildTree }, { checkTree, stageTree }] = await Promise.all([
      import('./build/build.js'),
      import('./build/output.js'),
    ]);
    const provisioning = {
      prometheusUrl: options.prometheusUrl,
      dashboardsPath: options.dashboardsPath,
      scrapeInterval: options.scrapeInterval,
      loadTimeout: options.loadTimeout,
      schema: options.schema,
      kubernetes: kubernetesOptions(options),
    };
    const summary = ({ dashboards, panels, rules, files }: Omit<BuildCounts, 'ruleGroups'>) =>
      `${dashboards} dashboards, ${panels} panels, ${rules} alert rules, ${files} files`;
    const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
    if (options.check) {
      const result = await guarded(inputs, () => buildTree(inputs, provisioning));
      const differences = await checkTree(options.out, result.files);
      for (const { kind, path } of differences) console.log(`${kind}: ${options.out}/${path}`);
      if (differences.length > 0) {
        console.error(`build-dashboards: ${options.out} is out of date (${differences.length} files); run build-dashboards`);
        process.exitCode = 1;
        return;
      }
      console.log(
        `build-dashboards: ${options.out} is up to date: ${summary({ ...result, files: result.files.size })} in ${seconds()} s`,
      );
      return;
    }
    // Files are written beside their targets as each dashboard passes its checks; a failed or stopped build discards them all.
    let staging: ReturnType<typeof stageTree> | undefined;
    const building = async () => {
      staging = stageTree(options.out);
      const staged = await staging;
      const counts = await buildInto(staged, inputs, provisioning);
      await staged.commit();
      return counts;
    };
    const built = await guarded(inputs, building, async () => {
      const staged = await staging?.catch(() => undefined);
      return (await staged?.discard()) ?? true;
    });
    console.log(`build-dashboards: ${summary(built)} written to ${options.out} in ${seconds()} s`);
  });

program
  .command('lint')
  .description(
    'run every check of a build on the inputs (default examples/): schema, PromQL, lint, uids and titles used twice; write nothing, exit 1 on any problem',
  )
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .action(async (inputs: string[]) => {
    const started = performance.now();
    const { buildInto } = await import('./build/build.js');
    // The whole build, its files thrown away: uids and titles used twice are found too.
    const { dashboards, ruleGroups } = await guarded(inputs, () => buildInto({ add: () => undefined }, inputs));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`build-dashboards: ${dashboards} dashboards and ${ruleGroups} rule groups check clean in ${seconds} s`);
  });

// Exit status of failures; `diff` uses 2, because its 1 means "changed".
let failureStatus = 1;

program
  .command('diff')
  .description(
    'compare two builds per dashboard and panel; each side is a built output folder or a git ref (built in a\n' +
      'temporary worktree with the installed dependencies). Exit 0: no changes, 1: changes, 2: error',
  )
  .argument('<base>', 'output folder or git ref, e.g. origin/main')
  .argument('<head>', 'output folder or git ref, e.g. HEAD')
  .option('--inputs <paths...>', 'dashboard modules or folders to build for git refs', ['examples'])
  .option('--format <format>', 'terminal or markdown (for a pull-request comment)', 'terminal')
  .option('--color', 'colour the terminal format (default: when stdout is a TTY and NO_COLOR is unset)')
  .option('--no-color', 'never colour')
  .action(async (base: string, head: string, options: { inputs: string[]; format: string; color?: boolean }) => {
    failureStatus = 2;
    if (options.format !== 'terminal' && options.format !== 'markdown')
      throw new Error(`--format must be terminal or markdown, not ${JSON.stringify(options.format)}`);
    const [{ treeOf }, { diffTrees, formatMarkdown, formatTerminal, hasChanges }] = await Promise.all([
      import('./review/revision.js'),
      import('./review/diff.js'),
    ]);
    const diff = diffTrees(await treeOf(base, options.inputs), await treeOf(head, options.inputs), { base, head });
    const colour = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
    process.stdout.write(options.format === 'markdown' ? formatMarkdown(diff) : formatTerminal(diff, colour));
    process.exitCode = hasChanges(diff) ? 1 : 0;
  });

program
  .command('push')
  .description(
    "save the inputs' dashboards to Grafana through its HTTP API: the legacy /api/dashboards/db or Grafana 12/13's\n" +
      'resource API /apis/dashboard.grafana.app; the token comes only from GRAFANA_TOKEN (a service account token)\n' +
      'and is never printed',
  )
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .requiredOption('--url <url>', "Grafana's base URL", httpUrl('--url'))
  .option(
    '--folder-uid <uid>',
    "folder to save every dashboard into (default: each dashboard's folder, found by title or created)",
  )
  .option('--message <text>', 'version message, after "inferboard: "')
  .option('--force', 'overwrite dashboards changed in Grafana since the last push')
  .option('--dry-run', 'print the plan (create / update / unchanged / conflict) and save nothing')
  .option('--timeout <ms>', 'per request', wholeNumber('--timeout', 1, 3_600_000), 10_000)
  .option(
    '--retries <n>',
    '5xx answers, connection resets and refused connections are retried with backoff',
    wholeNumber('--retries', 0, 20),
    3,
  )
  .option('--retry-delay <ms>', 'first backoff, doubled each retry', wholeNumber('--retry-delay', 0, 60_000), 500)
  .addOption(
    new Option(
      '--api <api>',
      "auto: the resource API where Grafana serves the schema's stable version (Grafana 13), else the legacy API, and the resource API for dashboards stored as v2 (406)",
    )
      .choices(['auto', 'legacy', 'resources'])
      .default('auto'),
  )
  .option(
    '--namespace <name>',
    "the resource API's namespace: default (org 1), org-<id>, stacks-<id> on Grafana Cloud",
    'default',
  )
  .addOption(
    new Option('--schema <version>', 'push classic dashboards (v1) or dashboard.grafana.app/v2 specs (v2, resource API only)')
      .choices(['v1', 'v2'])
      .default('v1'),
  )
  .addHelpText('after', '\nExit codes: 0 every dashboard created, updated or unchanged; 1 anything failed or conflicted.')
  .action(
    async (
      inputs: string[],
      options: {
        url: string;
        folderUid?: string;
        message?: string;
        force?: boolean;
        dryRun?: boolean;
        timeout: number;
        retries: number;
        retryDelay: number;
        api: 'auto' | 'legacy' | 'resources';
        namespace: string;
        schema: 'v1' | 'v2';
      },
    ) => {
      const token = process.env.GRAFANA_TOKEN;
      if (!token) throw new Error('GRAFANA_TOKEN is not set: create a service account token in Grafana and export it');
      const [{ loadAll }, { formatOutcome, pushDashboards }] = await Promise.all([
        import('./build/build.js'),
        import('./deliver/push.js'),
      ]);
      const { dashboards } = await guarded(inputs, () => loadAll(inputs));
      const outcomes = await pushDashboards(dashboards, {
        url: options.url,
        token,
        folderUid: options.folderUid,
        message: options.message,
        force: options.force,
        dryRun: options.dryRun,
        timeoutMs: options.timeout,
        retries: options.retries,
        retryDelayMs: options.retryDelay,
        api: options.api,
        namespace: options.namespace,
        schema: options.schema,
        log: (line) => console.error(line),
      });
      for (const outcome of outcomes) console.log(formatOutcome(outcome, options.dryRun ?? false));
      const failed = outcomes.filter((outcome) => outcome.error).length;
      if (failed > 0) {
        console.error(`build-dashboards: ${failed} of ${outcomes.length} dashboards not pushed`);
        process.exitCode = 1;
      }
    },
  );

program
  .command('preview')
  .description("write an SVG of each dashboard's layout (grid, rows, panel titles and types) to --out/<uid>.svg")
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .option('-o, --out <dir>', 'folder for the SVG files', 'dist/preview')
  .action(async (inputs: string[], options: { out: string }) => {
    const [{ loadAll }, { previewSvg }, { mkdir, writeFile }, { join }] = await Promise.all([
      import('./build/build.js'),
      import('./review/preview.js'),
      import('node:fs/promises'),
      import('node:path'),
    ]);
    const { dashboards } = await guarded(inputs, () => loadAll(inputs));
    await mkdir(options.out, { recursive: true });
    for (const { json } of dashboards) await writeFile(join(options.out, `${json.uid}.svg`), previewSvg(json));
    console.log(`build-dashboards: ${dashboards.length} layout previews written to ${options.out}`);
  });

/** An error line cut to fit a screen or a CI log: its start names the culprit, its end says what is wrong. */
function oneScreenLine(line: string): string {
  return line.length <= 500 ? line : `${line.slice(0, 320)} … ${line.slice(-160)}`;
}

program.parseAsync(process.argv).catch(async (error: unknown) => {
  const { BuildError } = await import('./check/errors.js');
  const message = error instanceof Error ? error.message : String(error);
  // A BuildError lists one finding per line; anything else is reduced to its first line.
  const lines = error instanceof BuildError ? message.split('\n') : [message.split('\n')[0] ?? ''];
  for (const line of lines) console.error(`build-dashboards: ${oneScreenLine(line)}`);
  process.exit(failureStatus);
});
