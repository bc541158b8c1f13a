/**
 * Query cost on a real Prometheus: a Triton fleet backfilled with promtool, then one full refresh
 * of the Triton dashboard as Grafana would send it (range queries over the last hour at the step
 * Grafana picks for a 1,600 px wide panel), direct and with the recording rules backfilled too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { defaultTopSeries, expandVariables, recordingRules, ruleFile, tritonDashboard } from '../src/index.js';
import { allPanels } from '../src/dashboards/walk.js';
import { writeFleet, type FleetShape } from './tritonFleet.js';
import { freePort } from '../test/support/freePort.js';

/** Size of the benchmark; the defaults are the fleet. */
export interface QueryCostOptions {
  readonly work: string;
  readonly instances?: number;
  readonly models?: number;
  readonly gpusPerInstance?: number;
  readonly hours?: number;
  /** Timed refreshes after one warm-up; the median counts. Default 3. */
  readonly runs?: number;
}

/** One target of the dashboard: its cost in both modes. */
export interface TargetCost {
  readonly panel: string;
  readonly panelType: string;
  readonly refId: string;
  /** Series the panel's legend shows for this target: `topSeries` for a split time series, else 1 (a table: a row per series). */
  readonly capacity: number;
  readonly direct: Measured;
  readonly recorded: Measured;
}

export interface Measured {
  readonly milliseconds: number;
  readonly series: number;
  /** Samples Prometheus loaded to answer (`stats=all`, totalQueryableSamples). */
  readonly samples: number;
}

export interface QueryCostReport {
  readonly shape: FleetShape;
  readonly seriesWritten: number;
  readonly samplesWritten: number;
  readonly generateSeconds: number;
  readonly backfillSeconds: number;
  readonly ruleBackfillSeconds: number;
  readonly stepSeconds: number;
  readonly rateInterval: string;
  readonly targets: readonly TargetCost[];
  /** Wall time of one refresh with Grafana's concurrency (6 queries at a time), median. */
  readonly refreshMilliseconds: { readonly direct: number; readonly recorded: number };
}

const scrapeSeconds = 15;
const rangeSeconds = 3600;
const panelWidthPixels = 1600;
/** Concurrent queries of one refresh, as a browser allows per host. */
const concurrency = 6;

/** Grafana's step: range / width in pixels, no finer than the datasource's scrape interval. */
function grafanaStep(): number {
  return Math.max(scrapeSeconds, Math.ceil(rangeSeconds / panelWidthPixels));
}

function run(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); install Debian's prometheus package`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

class Prometheus {
  private child: ChildProcess | undefined;
  url = '';

  constructor(private readonly work: string) {}

  async start(): Promise<void> {
    const address = `127.0.0.1:${await freePort()}`;
    this.url = `http://${address}`;
    writeFileSync(join(this.work, 'prometheus.yml'), `global:\n  scrape_interval: ${scrapeSeconds}s\n`);
    this.child = spawn(
      'prometheus',
      [
        `--config.file=${join(this.work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.work, 'data')}`,
        '--storage.tsdb.retention.time=30d',
        `--web.listen-address=${address}`,
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const ready = await fetch(`${this.url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}`);
      await sleep(250);
    }
    throw new Error('prometheus was not ready after 5 minutes');
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}

async function measure(url: string, expr: string, instant: boolean, end: number, step: number): Promise<Measured> {
  const parameters: Record<string, string> = instant
    ? { query: expr, time: String(end), stats: 'all' }
    : { query: expr, start: String(end - rangeSeconds), end: String(end), step: String(step), stats: 'all' };
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/${instant ? 'query' : 'query_range'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(parameters),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: unknown[]; stats?: { samples?: { totalQueryableSamples?: number } } };
  };
  const milliseconds = performance.now() - started;
  if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return { milliseconds, series: body.data.result.length, samples: body.data.stats?.samples?.totalQueryableSamples ?? 0 };
}

interface Query {
  readonly panel: string;
  readonly panelType: string;
  readonly refId: string;
  readonly capacity: number;
  readonly expr: string;
  readonly instant: boolean;
}

/** Every target of `json` as Grafana sends it; a table shows a row per model, a split time series `topSeries` lines. */
function queriesOf(json: grafana.Dashboard, rateInterval: string, models: number): Query[] {
  return allPanels(json).flatMap((panel) =>
    ((panel.targets ?? []) as unknown as { refId: string; expr: string; instant?: boolean; legendFormat?: string }[]).map(
      (target) => ({
        panel: panel.title ?? '',
        panelType: panel.type,
        refId: target.refId,
        capacity:
          panel.type === 'table'
            ? models
            : panel.type === 'timeseries' && target.legendFormat?.includes('{{')
              ? defaultTopSeries
              : 1,
        expr: expandVariables(target.expr, json, { rateInterval, range: `${rangeSeconds}s` }),
        instant: target.instant === true,
      }),
    ),
  );
}

/** One refresh, `concurrency` queries at a time; its wall time. */
async function refresh(url: string, queries: readonly Query[], end: number, step: number): Promise<number> {
  const started = performance.now();
  const pending = [...queries];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let query = pending.shift(); query; query = pending.shift()) await measure(url, query.expr, query.instant, end, step);
    }),
  );
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Median cost of each query over `runs` sequential passes, after one warm-up pass. */
async function costs(url: string, queries: readonly Query[], end: number, step: number, runs: number): Promise<Measured[]> {
  for (const query of queries) await measure(url, query.expr, query.instant, end, step);
  const passes: Measured[][] = [];
  for (let pass = 0; pass < runs; pass += 1) {
    const results: Measured[] = [];
    for (const query of queries) results.push(await measure(url, query.expr, query.instant, end, step));
    passes.push(results);
  }
  return queries.map((_, index) => {
    const runsOfQuery = passes.map((pass) => pass[index] as Measured);
    return { ...(runsOfQuery[0] as Measured), milliseconds: median(runsOfQuery.map((item) => item.milliseconds)) };
  });
}

/** Backfills the fleet, runs the refreshes, and leaves nothing behind in `work`. */
export async function measureQueryCost(options: QueryCostOptions): Promise<QueryCostReport> {
  const hours = options.hours ?? 6;
  const end = Math.floor(Date.now() / 1000 / scrapeSeconds) * scrapeSeconds;
  const shape: FleetShape = {
    instances: options.instances ?? 16,
    models: options.models ?? 50,
    gpusPerInstance: options.gpusPerInstance ?? 8,
    start: end - hours * 3600,
    hours,
    scrapeSeconds,
  };
  const runs = options.runs ?? 3;
  const step = grafanaStep();
  const rateInterval = `${Math.max(4 * scrapeSeconds, step + scrapeSeconds)}s`;
  mkdirSync(options.work, { recursive: true });
  const prometheus = new Prometheus(options.work);
  try {
    const input = join(options.work, 'fleet.om');
    const started = performance.now();
    const written = await writeFleet(input, shape);
    const generateSeconds = (performance.now() - started) / 1000;
    const backfillSeconds = run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, join(options.work, 'data')]);
    rmSync(input);

    // Recording rules are backfilled from the raw data by promtool, over the refreshed hour and one window before it.
    await prometheus.start();
    const rules = join(options.work, 'rules.yml');
    writeFileSync(rules, ruleFile([recordingRules()]));
    const recorded = join(options.work, 'recorded');
    const ruleBackfillSeconds = run('promtool', [
      'tsdb',
      'create-blocks-from',
      'rules',
      '--quiet',
      `--url=${prometheus.url}`,
      `--start=${end - rangeSeconds - 300}`,
      `--end=${end}`,
      `--output-dir=${recorded}`,
      `--eval-interval=${scrapeSeconds}s`,
      rules,
    ]);
    await prometheus.stop();
    for (const block of readdirSync(recorded)) renameSync(join(recorded, block), join(options.work, 'data', block));
    await prometheus.start();

    const direct = queriesOf(tritonDashboard().build(), rateInterval, shape.models);
    const viaRules = queriesOf(tritonDashboard({ recorded: true }).build(), rateInterval, shape.models);
    const directCosts = await costs(prometheus.url, direct, end, step, runs);
    const recordedCosts = await costs(prometheus.url, viaRules, end, step, runs);
    const refreshes = { direct: [] as number[], recorded: [] as number[] };
    for (let pass = 0; pass < runs; pass += 1) {
      refreshes.direct.push(await refresh(prometheus.url, direct, end, step));
      refreshes.recorded.push(await refresh(prometheus.url, viaRules, end, step));
    }
    return {
      shape,
      seriesWritten: written.series,
      samplesWritten: written.samples,
      generateSeconds,
      backfillSeconds,
      ruleBackfillSeconds,
      stepSeconds: step,
      rateInterval,
      targets: direct.map((query, index) => ({
        panel: query.panel,
        panelType: query.panelType,
        refId: query.refId,
        capacity: query.capacity,
        direct: directCosts[index] as Measured,
        recorded: recordedCosts[index] as Measured,
      })),
      refreshMilliseconds: { direct: median(refreshes.direct), recorded: median(refreshes.recorded) },
    };
  } finally {
    await prometheus.stop();
    rmSync(options.work, { recursive: true, force: true });
  }
}
