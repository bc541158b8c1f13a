/**
 * `npm run bench`: build throughput at fleet scale against the bare-SDK floor, CLI cold start,
 * and the query cost of the Triton dashboard on a backfilled Prometheus (BENCH_QUERY_COST=0
 * skips it). Every figure is measured in this run; ratios compare figures of this run only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { fleetSize, modelPanels, models } from './fleet.js';
import { measureQueryCost, type QueryCostReport } from './queryCost.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/src/cli.js');

/** Median wall time of `runs` runs of a command, in ms. */
function timeCommand(args: string[], runs: number): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

/** The floor: the same dashboards' panels and queries through the bare SDK and JSON.stringify, nothing checked or written. */
function floor(): { milliseconds: number; bytes: number } {
  // Query text per model, as a hand-written generator would hold it.
  const template = modelPanels('MODEL').map((panel) => {
    const json = panel.build() as { title?: string; targets?: { expr: string; refId: string }[] };
    return { title: json.title ?? '', targets: json.targets ?? [] };
  });
  const started = performance.now();
  let bytes = 0;
  for (const model of models) {
    const builder = new grafana.DashboardBuilder(`Fleet ${model}`).uid(`fleet-${model}`);
    for (const panel of template) {
      const sdkPanel = new timeseries.PanelBuilder().title(panel.title).span(6).height(8);
      for (const target of panel.targets) {
        sdkPanel.withTarget(new prometheus.DataqueryBuilder().refId(target.refId).expr(target.expr.replaceAll('MODEL', model)));
      }
      builder.withPanel(sdkPanel);
    }
    bytes += JSON.stringify(builder.build(), null, 2).length;
  }
  if (bytes === 0) throw new Error('the floor built nothing');
  return { milliseconds: performance.now() - started, bytes };
}

/** Bytes of every file under `directory`. */
function treeBytes(directory: string): number {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const out = mkdtempSync(join(tmpdir(), 'inferboard-bench-'));
const rows: [string, string, string][] = [];
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

const fleetWall = timeCommand([cli, 'bench/fleet.ts', '--out', join(out, 'fleet')], 3);
const floors = [floor(), floor(), floor()];
const floorWall = Math.min(...floors.map((run) => run.milliseconds));
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
rows.push([`fleet: ${fleetSize} dashboards x 12 panels, build-dashboards (built, validated, linted, written)`, ms(fleetWall), `${(fleetWall / floorWall).toFixed(1)}x floor, ${megabytes(treeBytes(join(out, 'fleet')))} written`]);
rows.push(['  per dashboard', ms(fleetWall / fleetSize), '']);
rows.push(['fleet floor: bare Foundation SDK + JSON.stringify (titles and queries), in process, nothing checked or written', ms(floorWall), `1.0x, ${megabytes(floors[0]?.bytes ?? 0)} of JSON`]);
const help = timeCommand([cli, '--help'], 5);
const one = timeCommand([cli, 'examples/batcher.ts', '--out', join(out, 'one')], 5);
rows.push(['cold start: build-dashboards --help', ms(help), '']);
rows.push(['cold start: one TypeScript dashboard (examples/batcher.ts)', ms(one), `${(one / help).toFixed(1)}x --help`]);
rmSync(out, { recursive: true, force: true });

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`inferboard bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; medians of 3-5 runs`);
for (const [name, value, ratio] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(9)}  ${ratio}`);

/** Prints the query-cost table; returns the targets whose series outnumber what their legend shows. */
function printQueryCost(report: QueryCostReport): string[] {
  const { shape } = report;
  const millions = (value: number) => `${(value / 1e6).toFixed(1)} M`;
  console.log(
    `\nquery cost: Triton dashboard, one refresh of the last hour, step ${report.stepSeconds} s (1,600 px), $__rate_interval ${report.rateInterval}, variables at All;` +
      `\n  fleet ${shape.instances} instances x ${shape.models} models x ${shape.gpusPerInstance} GPUs, ${shape.hours} h at ${shape.scrapeSeconds} s: ${report.seriesWritten.toLocaleString('en')} series, ${millions(report.samplesWritten)} samples` +
      ` (generated in ${report.generateSeconds.toFixed(0)} s, backfilled in ${report.backfillSeconds.toFixed(0)} s, recording rules backfilled in ${report.ruleBackfillSeconds.toFixed(0)} s); medians of 3 runs`,
  );
  const header = ['panel / target', 'direct', 'series', 'samples', 'recorded', 'series', 'samples', 'legend'];
  const lines = report.targets.map((target) => [
    `${target.panel} / ${target.refId}`,
    `${target.direct.milliseconds.toFixed(0)} ms`,
    String(target.direct.series),
    millions(target.direct.samples),
    `${target.recorded.milliseconds.toFixed(0)} ms`,
    String(target.recorded.series),
    millions(target.recorded.samples),
    `${target.panelType === 'table' ? 'rows' : 'max'} ${target.capacity}`,
  ]);
  const sum = (pick: (target: QueryCostReport['targets'][number]) => number) => report.targets.reduce((total, target) => total + pick(target), 0);
  lines.push([
    'all targets, one after another',
    `${sum((target) => target.direct.milliseconds).toFixed(0)} ms`,
    String(sum((target) => target.direct.series)),
    millions(sum((target) => target.direct.samples)),
    `${sum((target) => target.recorded.milliseconds).toFixed(0)} ms`,
    String(sum((target) => target.recorded.series)),
    millions(sum((target) => target.recorded.samples)),
    '',
  ]);
  lines.push(['one refresh, 6 queries at a time', `${report.refreshMilliseconds.direct.toFixed(0)} ms`, '', '', `${report.refreshMilliseconds.recorded.toFixed(0)} ms`, '', '', '']);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? '').length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
  return report.targets
    .filter((target) => Math.max(target.direct.series, target.recorded.series) > target.capacity)
    .map((target) => `${target.panel} / ${target.refId}: ${Math.max(target.direct.series, target.recorded.series)} series, its legend shows ${target.capacity}`);
}

if (process.env.BENCH_QUERY_COST !== '0') {
  const unbounded = printQueryCost(await measureQueryCost({ work: mkdtempSync(join(tmpdir(), 'inferboard-query-cost-')) }));
  if (unbounded.length > 0) {
    console.error(`\nunbounded panels:\n${unbounded.join('\n')}`);
    process.exitCode = 1;
  }
}
