#!/usr/bin/env node
/**
 * build-dashboards: turns dashboard modules into a Grafana provisioning tree.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface CliOptions {
  out: string;
  check?: boolean;
  prometheusUrl: string;
  dashboardsPath: string;
  scrapeInterval: string;
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
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .option('-o, --out <dir>', 'output folder, replaced as a whole', 'dist/grafana')
  .option('--check', 'write nothing; exit 1 listing files that are missing, stale or extra')
  .option('--prometheus-url <url>', 'URL Grafana reaches Prometheus at', 'http://prometheus:9090')
  .option('--dashboards-path <path>', "where Grafana mounts the output's dashboards/ folder", '/var/lib/grafana/dashboards')
  .option('--scrape-interval <duration>', 'Prometheus scrape interval, for $__rate_interval', '15s')
  .addHelpText(
    'after',
    '\nEvery dashboard is parsed and linted before anything is written (rules: see README, "Lint rules").\n' +
      '\nOutput:\n' +
      '  <out>/provisioning/   mount at /etc/grafana/provisioning (dashboard provider + Prometheus datasource)\n' +
      '  <out>/dashboards/     mount at --dashboards-path (one folder per Grafana folder)\n' +
      '  <out>/prometheus/rules/   Prometheus rule files (rule groups the modules export)\n' +
      '\nExit codes: 0 built (or up to date with --check), 1 invalid input or stale output.',
  )
  .action(async (inputs: string[], options: CliOptions) => {
    const started = performance.now();
    // Loaded here, not at the top, so --help and --version start instantly.
    const [{ buildTree }, { checkTree, writeTree }] = await Promise.all([import('./build.js'), import('./output.js')]);
    const result = await buildTree(inputs, {
      prometheusUrl: options.prometheusUrl,
      dashboardsPath: options.dashboardsPath,
      scrapeInterval: options.scrapeInterval,
    });
    const summary = `${result.dashboards} dashboards, ${result.panels} panels, ${result.rules} alert rules, ${result.files.size} files`;
    const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
    if (options.check) {
      const differences = await checkTree(options.out, result.files);
      for (const { kind, path } of differences) console.log(`${kind}: ${options.out}/${path}`);
      if (differences.length > 0) {
        console.error(`build-dashboards: ${options.out} is out of date (${differences.length} files); run build-dashboards`);
        process.exitCode = 1;
        return;
      }
      console.log(`build-dashboards: ${options.out} is up to date: ${summary} in ${seconds()} s`);
      return;
    }
    await writeTree(options.out, result.files);
    console.log(`build-dashboards: ${summary} written to ${options.out} in ${seconds()} s`);
  });

program
  .command('lint')
  .description('parse and lint the dashboards of the inputs (default examples/) and write nothing; exit 1 on any finding')
  .argument('[inputs...]', 'dashboard modules or folders of them', ['examples'])
  .action(async (inputs: string[]) => {
    const started = performance.now();
    const { loadAll } = await import('./build.js');
    const { dashboards, ruleGroups } = await loadAll(inputs);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`build-dashboards: ${dashboards.length} dashboards and ${ruleGroups.length} rule groups check clean in ${seconds} s`);
  });

program.parseAsync(process.argv).catch(async (error: unknown) => {
  const { BuildError } = await import('./validate.js');
  const message = error instanceof Error ? error.message : String(error);
  // A BuildError lists one finding per line; anything else is reduced to its first line.
  const lines = error instanceof BuildError ? message.split('\n') : [message.split('\n')[0]];
  for (const line of lines) console.error(`build-dashboards: ${line}`);
  process.exit(1);
});
