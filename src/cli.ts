#!/usr/bin/env node
/**
 * build-dashboards: turns dashboard modules into a Grafana provisioning tree.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { BuildCounts } from './build/build.js';
import { guarded } from './cli/guarded.js';
import { buildArguments, httpUrl, inputsOf, kubernetesOptions, labelPairs, wholeNumber, type CliOptions } from './cli/options.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('build-dashboards')
  .description(
    'Build Grafana dashboards from TypeScript/JavaScript modules into a provisioning tree.\n' +
      'Each input is a module (.ts, .mts, .cts, .js, .mjs, .cjs) whose default export is a dashboard, a builder, an alert\n' +
      'rule group, or an array of them, or a folder whose module files (not subfolders) are all read.\n' +
      "Default input: dashboards/ (examples/ where there is none, as in inferboard's own repository).",
  )
  .version(version)
  // Options after a subcommand (`preview --out`) belong to it, not to the build.
  .enablePositionalOptions()
  // The public API dashboard modules import, loaded before tsx registers its hooks: modules
  // loaded after registration pay for them (docs/performance.md).
  .hook('preAction', async () => {
    await import('./index.js');
  })
  .argument('[inputs...]', 'dashboard modules or folders of them (default: dashboards/)')
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
  .option(
    '--loki-url <url>',
    'URL Grafana reaches Loki at (its datasource is written when a dashboard has log panels)',
    httpUrl('--loki-url', 'http://loki:3100'),
    'http://loki:3100',
  )
  .option(
    '--tempo-url <url>',
    'URL Grafana reaches Tempo at (its datasource is written when a dashboard has trace panels)',
    httpUrl('--tempo-url', 'http://tempo:3200'),
    'http://tempo:3200',
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
  .option('--watch', 'build, then build again on every change to the inputs (each build in a new process), until Ctrl-C')
  .option(
    '--push-to <url>',
    'with --watch: after each build that passes, push its dashboards to this (development) Grafana; GRAFANA_TOKEN as for push',
    httpUrl('--push-to'),
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
    '--datasource-label <name=value>',
    "the label Grafana's sidecar selects datasource ConfigMaps (Loki, Tempo) by (default: grafana_datasource=1)",
    labelPairs('--datasource-label', false),
  )
  .option(
    '--prometheus-datasource-uid <uid>',
    "uid of the Prometheus datasource Grafana has, which Tempo's links to metrics read (default: prometheus, kube-prometheus-stack's)",
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
      '  <out>/provisioning/   mount at /etc/grafana/provisioning (dashboard provider; Prometheus datasource,\n' +
      '                        Loki and Tempo where a dashboard queries them)\n' +
      '  <out>/dashboards/     mount at --dashboards-path (one folder per Grafana folder)\n' +
      '  <out>/prometheus/rules/   Prometheus rule files (rule groups the modules export)\n' +
      '  <out>/kubernetes/     with --kubernetes, beside the rest: ConfigMaps or GrafanaDashboards, PrometheusRules,\n' +
      '                        the Loki and Tempo datasources where used,\n' +
      '                        ServiceMonitors (kubectl apply -f <out>/kubernetes/)\n' +
      '\nExit codes: 0 built (or up to date with --check), 1 invalid input or stale output.',
  )
  .action(async (given: string[], options: CliOptions) => {
    const started = performance.now();
    const inputs = inputsOf(given);
    if (options.pushTo && !options.watch) throw new Error('--push-to needs --watch (or use build-dashboards push)');
    if (options.watch) {
      if (options.check) throw new Error('--watch writes the output: it does not go with --check');
      if (options.pushTo && !process.env.GRAFANA_TOKEN)
        throw new Error('--push-to needs GRAFANA_TOKEN: create a service account token in the development Grafana and export it');
      const { watchInputs } = await import('./cli/watch.js');
      const build = buildArguments(process.argv.slice(2));
      const push = options.pushTo ? [['push', ...inputs, '--url', options.pushTo]] : [];
      return watchInputs({
        paths: inputs,
        ignored: [options.out],
        cli: process.argv[1]!,
        steps: [build, ...push],
        log: (line) => console.error(line),
      });
    }
    // Loaded here, not at the top, so --help and --version start instantly.
    const [{ buildInto, buildTree }, { checkTree, stageTree }] = await Promise.all([
      import('./build/build.js'),
      import('./build/output.js'),
    ]);
    const provisioning = {
      prometheusUrl: options.prometheusUrl,
      lokiUrl: options.lokiUrl,
      tempoUrl: options.tempoUrl,
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
    'run every check of a build on the inputs: schema, PromQL, lint, uids and titles used twice; write nothing, exit 1 on any problem',
  )
  .argument('[inputs...]', 'dashboard modules or folders of them (default: dashboards/)')
  .action(async (given: string[]) => {
    const started = performance.now();
    const inputs = inputsOf(given);
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
  .option('--inputs <paths...>', 'dashboard modules or folders to build for git refs (default: dashboards/)')
  .option('--format <format>', 'terminal or markdown (for a pull-request comment)', 'terminal')
  .option('--color', 'colour the terminal format (default: when stdout is a TTY and NO_COLOR is unset)')
  .option('--no-color', 'never colour')
  .action(async (base: string, head: string, options: { inputs?: string[]; format: string; color?: boolean }) => {
    const inputs = inputsOf(options.inputs);
    failureStatus = 2;
    if (options.format !== 'terminal' && options.format !== 'markdown')
      throw new Error(`--format must be terminal or markdown, not ${JSON.stringify(options.format)}`);
    const [{ treeOf }, { diffTrees, formatMarkdown, formatTerminal, hasChanges }] = await Promise.all([
      import('./review/revision.js'),
      import('./review/diff.js'),
    ]);
    const diff = diffTrees(await treeOf(base, inputs), await treeOf(head, inputs), { base, head });
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
  .argument('[inputs...]', 'dashboard modules or folders of them (default: dashboards/)')
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
      given: string[],
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
      const inputs = inputsOf(given);
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
  .command('init')
  .description(
    'set up inferboard in this repository (it needs a package.json): dashboards/inference.ts, tsconfig.json, the\n' +
      'package scripts dashboards, dashboards:check and dashboards:watch, and .github/workflows/dashboards.yml;\n' +
      'a file or script that exists is kept',
  )
  .action(async () => {
    const { initRepository } = await import('./cli/init.js');
    const workflow = readFileSync(new URL('../../examples/github-workflow.yml', import.meta.url), 'utf8');
    for (const step of initRepository(process.cwd(), workflow)) {
      console.log(`${step.action.padEnd(8)} ${step.path}${step.note ? ` (${step.note})` : ''}`);
    }
    console.log('build-dashboards: next, npm run dashboards builds dashboards/ into grafana/');
  });

program
  .command('import')
  .description(
    'write a TypeScript module per Grafana dashboard JSON (exported, shared, an API body, Grafana 6 to 13): panels an\n' +
      'inferboard builder builds become its call; the others stay as written in Foundation SDK builders, each lint\n' +
      'finding a comment beside its panel; legacy graph and singlestat panels and __inputs placeholders converted',
  )
  .argument('<dashboards...>', 'dashboard JSON files')
  .option('-o, --out <dir>', 'folder of the modules (an existing module is never overwritten)', 'dashboards')
  .option('--fix', 'replace each panel lint finds a mistake in by the inferboard builder that draws what it means to show')
  .option('--folder <title>', 'the Grafana folder of the dashboards (the modules export it as folder)')
  .action(async (files: string[], options: { out: string; fix?: boolean; folder?: string }) => {
    const { importDashboards } = await import('./import/importDashboards.js');
    for (const result of await importDashboards(files, options)) {
      console.log(
        `build-dashboards: ${result.file} -> ${result.module}: ${result.panels} panels, ${result.builders} as inferboard builders, ${result.findings} lint findings left as comments`,
      );
    }
  });

program
  .command('preview')
  .description("write an SVG of each dashboard's layout (grid, rows, panel titles and types) to --out/<uid>.svg")
  .argument('[inputs...]', 'dashboard modules or folders of them (default: dashboards/)')
  .option('-o, --out <dir>', 'folder for the SVG files', 'dist/preview')
  .action(async (given: string[], options: { out: string }) => {
    const inputs = inputsOf(given);
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
