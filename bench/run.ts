/**
 * `npm run bench`: build throughput at fleet scale against the bare-SDK floor, CLI cold start,
 * and the query cost of the Triton dashboard on a backfilled Prometheus (BENCH_QUERY_COST=0
 * skips it). Every figure is measured in this run; ratios compare figures of this run only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { modelDashboard } from './fleet.js';
import { fleetSize } from './fleetModels.js';
import { buildFloor, floorDashboard, placeholder } from './floor.js';
import { measureQueryCost, type QueryCostReport } from './queryCost.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/src/cli.js');

/** Wall times of a command's runs, in ms. */
interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Times `runs` runs of a command, its arguments given per run. */
function timeCommand(argsOf: (run: number) => string[], runs: number): Timing {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const args = argsOf(run);
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, min: times[0] as number, max: times.at(-1) as number };
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

// The floor builds the same dashboards from a template (one model's dashboard), or the ratio means nothing.
const template = modelDashboard(placeholder).build();
if (
  !isDeepStrictEqual(
    JSON.parse(JSON.stringify(floorDashboard(template, 'model-0042'))),
    JSON.parse(JSON.stringify(modelDashboard('model-0042').build())),
  )
) {
  throw new Error('bench/floor.ts no longer builds the dashboards of bench/fleet.ts');
}
const templateFile = join(out, 'template.json');
writeFileSync(templateFile, JSON.stringify(template));

const fleetOut = (run: number) => join(out, `fleet-${run}`);
const floorOut = (run: number) => join(out, `floor-${run}`);
// Into an empty folder each run; then over the first run's output, where unchanged files are linked, not written.
const fresh = timeCommand((run) => [cli, 'bench/fleet.ts', '--out', fleetOut(run)], 5);
const rebuild = timeCommand(() => [cli, 'bench/fleet.ts', '--out', fleetOut(0)], 5);
// The floor as a program, started and loaded as build-dashboards is, writing into an empty folder.
const floorProcess = timeCommand((run) => ['--import', 'tsx', 'bench/floor.ts', templateFile, floorOut(run)], 5).median;
const written = treeBytes(join(fleetOut(0), 'dashboards'));
if (treeBytes(floorOut(0)) !== written) throw new Error('the floor wrote other dashboards than build-dashboards');
// And its core in this process, warm: the SDK builders and JSON.stringify alone.
const floorCore = Math.min(
  ...[0, 1, 2].map(() => {
    const started = performance.now();
    buildFloor(template, () => undefined);
    return performance.now() - started;
  }),
);
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ratios = (wall: number) => `${(wall / floorProcess).toFixed(1)}x floor (${(wall / floorCore).toFixed(1)}x its core)`;
// The median, and the spread of the runs: this VM's speed drifts, and file creation depends on what the file system did just before.
const spread = (timing: Timing) => `runs ${timing.min.toFixed(0)}-${timing.max.toFixed(0)} ms`;
const fleet = `fleet: ${fleetSize} dashboards x 12 panels, build-dashboards (built, validated, linted, written)`;
rows.push([
  `${fleet}, into an empty folder`,
  ms(fresh.median),
  `${ratios(fresh.median)}, ${spread(fresh)}, ${megabytes(written)} of dashboards`,
]);
rows.push([
  `${fleet}, over its previous output`,
  ms(rebuild.median),
  `${ratios(rebuild.median)}, ${spread(rebuild)}, ${(rebuild.median / fleetSize).toFixed(2)} ms per dashboard`,
]);
rows.push([
  'fleet floor: the same dashboards, bare Foundation SDK + JSON.stringify, a process writing them into an empty folder',
  ms(floorProcess),
  '1.0x',
]);
rows.push(['  its core: the SDK builders and JSON.stringify, warm, in this process, nothing written', ms(floorCore), '']);
const help = timeCommand(() => [cli, '--help'], 5);
const one = timeCommand(() => [cli, 'examples/batcher.ts', '--out', join(out, 'one')], 5);
rows.push(['cold start: build-dashboards --help', ms(help.median), spread(help)]);
rows.push([
  'cold start: one TypeScript dashboard (examples/batcher.ts)',
  ms(one.median),
  `${(one.median / help.median).toFixed(1)}x --help, ${spread(one)}`,
]);
rmSync(out, { recursive: true, force: true });

const width = Math.max(...rows.map(([name]) => name.length));
console.log(
  `inferboard bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; medians of 5 runs, the floor's core best of 3`,
);
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
  const sum = (pick: (target: QueryCostReport['targets'][number]) => number) =>
    report.targets.reduce((total, target) => total + pick(target), 0);
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
  lines.push([
    'one refresh, 6 queries at a time',
    `${report.refreshMilliseconds.direct.toFixed(0)} ms`,
    '',
    '',
    `${report.refreshMilliseconds.recorded.toFixed(0)} ms`,
    '',
    '',
    '',
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? '').length)));
  for (const line of [header, ...lines])
    console.log(
      line.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '),
    );
  return report.targets
    .filter((target) => Math.max(target.direct.series, target.recorded.series) > target.capacity)
    .map(
      (target) =>
        `${target.panel} / ${target.refId}: ${Math.max(target.direct.series, target.recorded.series)} series, its legend shows ${target.capacity}`,
    );
}

if (process.env.BENCH_QUERY_COST !== '0') {
  const unbounded = printQueryCost(await measureQueryCost({ work: mkdtempSync(join(tmpdir(), 'inferboard-query-cost-')) }));
  if (unbounded.length > 0) {
    console.error(`\nunbounded panels:\n${unbounded.join('\n')}`);
    process.exitCode = 1;
  }
}
