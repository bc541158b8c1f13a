/**
 * `npm run bench`: build throughput at fleet scale against the bare-SDK floor, CLI cold start,
 * and the query cost of the Triton dashboard on a backfilled Prometheus (BENCH_QUERY_COST=0
 * skips it). Every figure is measured in this run; ratios compare figures of this run only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Times `runs` rounds of commands, their arguments given per run, taking turns within each
 * round: commands compared with each other meet the same machine and file system state.
 */
function timeCommands(
  commands: readonly ((run: number) => string[])[],
  runs: number,
  env: NodeJS.ProcessEnv = process.env,
): Timing[] {
  const times = commands.map((): number[] => []);
  for (let run = 0; run < runs; run += 1) {
    commands.forEach((argsOf, index) => {
      const args = argsOf(run);
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env });
      times[index]?.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    });
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    return { median: list[Math.floor(list.length / 2)] as number, min: list[0] as number, max: list.at(-1) as number };
  });
}

/** Times `runs` runs of one command. */
function timeCommand(argsOf: (run: number) => string[], runs: number): Timing {
  return timeCommands([argsOf], runs)[0] as Timing;
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

/**
 * Milliseconds to create 1,000 small files in a new folder of `parent`, kept until the bench
 * ends: what a build's file creation costs there now. On ext4 without a journal it grows for
 * about a minute after many files were deleted nearby (the kernel passes over their inodes).
 */
function fileCreation(parent: string): number {
  const folder = mkdtempSync(join(parent, 'probe-'));
  const started = performance.now();
  for (let index = 0; index < 1000; index += 1) writeFileSync(join(folder, `${index}.json`), '{}\n');
  return performance.now() - started;
}

/** The fleet and the floor in `folder`, taking turns, 5 runs each; then rebuilds over the first fleet output. */
function fleetAgainstFloor(folder: string) {
  const fleetOut = (run: number) => join(folder, `fleet-${run}`);
  const floorOut = (run: number) => join(folder, `floor-${run}`);
  const creation = fileCreation(folder);
  // The floor is a program started and loaded as build-dashboards is, writing into an empty folder.
  const [fresh, floor] = timeCommands(
    [
      (run) => [cli, 'bench/fleet.ts', '--out', fleetOut(run)],
      (run) => ['--import', 'tsx', 'bench/floor.ts', templateFile, floorOut(run)],
    ],
    5,
  ) as [Timing, Timing];
  // Over the previous output, unchanged files are linked, not written.
  const rebuild = timeCommand(() => [cli, 'bench/fleet.ts', '--out', fleetOut(0)], 5);
  const written = treeBytes(join(fleetOut(0), 'dashboards'));
  if (treeBytes(floorOut(0)) !== written) throw new Error('the floor wrote other dashboards than build-dashboards');
  return { creation, fresh, floor, rebuild, written };
}

// On disk (the temporary folder, as a build writes into a checkout), and in memory where the
// machine has a tmpfs, which takes the disk's drift out of the comparison.
const onDisk = fleetAgainstFloor(out);
const memory = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'inferboard-bench-')) : undefined;
const inMemory = memory ? fleetAgainstFloor(memory) : undefined;
/**
 * The fleet against its floor at 100, 1,000 and 5,000 dashboards, in memory, 3 runs each taking
 * turns: a cost per dashboard above the floor's makes the ratio grow with the fleet.
 */
const scaling = [100, 1000, 5000].map((size) => {
  const folder = mkdtempSync(join(memory ?? out, `scaling-${size}-`));
  const env = { ...process.env, BENCH_FLEET_SIZE: String(size) };
  const [fleetTiming, floorTiming] = timeCommands(
    [
      (run) => [cli, 'bench/fleet.ts', '--out', join(folder, `fleet-${run}`)],
      (run) => ['--import', 'tsx', 'bench/floor.ts', templateFile, join(folder, `floor-${run}`)],
    ],
    3,
    env,
  ) as [Timing, Timing];
  rmSync(folder, { recursive: true, force: true });
  return { size, fleet: fleetTiming, floor: floorTiming };
});
// And the floor's core in this process, warm: the SDK builders and JSON.stringify alone.
const floorCore = Math.min(
  ...[0, 1, 2].map(() => {
    const started = performance.now();
    buildFloor(template, () => undefined);
    return performance.now() - started;
  }),
);
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
// The median, and the spread of the runs: this VM's speed drifts, and file creation depends on what the file system did just before.
const spread = (timing: Timing) => `runs ${timing.min.toFixed(0)}-${timing.max.toFixed(0)} ms`;
const fleet = `fleet: ${fleetSize} dashboards x 12 panels, build-dashboards (built, validated, linted, written)`;
for (const [where, measured] of [
  [`on disk (${tmpdir()})`, onDisk],
  ['in memory (/dev/shm)', inMemory],
] as const) {
  if (!measured) continue;
  const { creation, fresh, floor, rebuild, written } = measured;
  const ratios = (wall: number) => `${(wall / floor.median).toFixed(1)}x floor (${(wall / floorCore).toFixed(1)}x its core)`;
  rows.push([`${where}: creating 1,000 small files, before the runs`, ms(creation), '']);
  rows.push([
    `  ${fleet}, into an empty folder`,
    ms(fresh.median),
    `${ratios(fresh.median)}, ${spread(fresh)}, ${megabytes(written)} of dashboards`,
  ]);
  rows.push([
    `  ${fleet}, over its previous output`,
    ms(rebuild.median),
    `${ratios(rebuild.median)}, ${spread(rebuild)}, ${(rebuild.median / fleetSize).toFixed(2)} ms per dashboard`,
  ]);
  rows.push([
    '  floor: the same dashboards, bare Foundation SDK + JSON.stringify, a process writing them into an empty folder',
    ms(floor.median),
    `1.0x, ${spread(floor)}`,
  ]);
}
rows.push(["the floor's core: the SDK builders and JSON.stringify, warm, in this process, nothing written", ms(floorCore), '']);
for (const { size, fleet: fleetTiming, floor: floorTiming } of scaling) {
  rows.push([
    `scaling, in ${memory ? 'memory' : 'the temporary folder'}: ${size.toLocaleString('en')} dashboards, build-dashboards against the floor (3 runs each)`,
    ms(fleetTiming.median),
    `${(fleetTiming.median / floorTiming.median).toFixed(2)}x floor (${ms(floorTiming.median)})`,
  ]);
}
const [smallest, , largest] = scaling;
if (smallest && largest) {
  // The slope between the smallest and the largest fleet: what one more dashboard costs, start-up left out.
  const perDashboard = (pick: (entry: (typeof scaling)[number]) => Timing) =>
    (pick(largest).median - pick(smallest).median) / (largest.size - smallest.size);
  const fleetCost = perDashboard((entry) => entry.fleet);
  const floorCost = perDashboard((entry) => entry.floor);
  rows.push([
    `scaling: the cost of one more dashboard (${smallest.size} to ${largest.size.toLocaleString('en')})`,
    ms(fleetCost),
    `${(fleetCost / floorCost).toFixed(1)}x the floor's ${ms(floorCost)}`,
  ]);
}
const help = timeCommand(() => [cli, '--help'], 5);
const one = timeCommand(() => [cli, 'examples/batcher.ts', '--out', join(out, 'one')], 5);
rows.push(['cold start: build-dashboards --help', ms(help.median), spread(help)]);
rows.push([
  'cold start: one TypeScript dashboard (examples/batcher.ts)',
  ms(one.median),
  `${(one.median / help.median).toFixed(1)}x --help, ${spread(one)}`,
]);
for (const folder of [out, memory]) if (folder) rmSync(folder, { recursive: true, force: true });

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
