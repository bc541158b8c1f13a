/**
 * Every panel of the Triton and batcher presets reads the true number in the conditions people
 * open a dashboard for, on both Prometheus engines: GPU-split series beside model-level ones,
 * failure series that never existed (per model, per instance, a total outage), idle models
 * (NaN summaries, zero rates), names that look like Grafana variables, several instances with
 * different load; at the views Grafana offers (15 min to 30 days, with the step and
 * `$__rate_interval` Grafana computes for a 1,600 px panel) and scrape intervals of 5, 15 and
 * 60 s; direct and from recording rules. Expected numbers are sums and ratios of the worlds'
 * rates, computed here.
 */
import assert from 'node:assert/strict';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  batcherDashboard,
  batcherMetrics,
  expandVariables,
  queries,
  recordingRules,
  ruleFile,
  tritonDashboard,
} from '../src/index.js';
import { allPanels } from '../src/dashboards/walk.js';
import { durationSeconds } from '../queries/index.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { panelRefresh, views, type View } from './support/grafanaView.js';
import { prometheusRate } from './support/prometheusRate.js';
import { exprTests, runTestFile, selectorText, type Case, type InputSeries, type Sample } from './support/promtool.js';
import {
  batcherInstances,
  batcherWorld,
  batchesOf,
  observedOf,
  pointsOf,
  sampled,
  tritonGpus,
  tritonModels,
  tritonWorld,
  worldSeconds,
  type BatcherInstance,
  type TritonModel,
} from './support/world.js';

type Expectations = Record<string, readonly Sample[]>;

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const byModel = (select: (model: TritonModel) => number | undefined, models: readonly TritonModel[] = tritonModels): Sample[] => {
  const names = [...new Set(models.map((model) => model.model))];
  return names.flatMap((name) => {
    const values = models.filter((model) => model.model === name).map(select);
    if (values.some((value) => value === undefined)) return [];
    return [{ labels: { model: name }, value: sum(values as number[]) }];
  });
};
const total = (value: number): Sample[] => [{ labels: {}, value }];
/** A ratio per model of two per-model sums; no value where the divisor is 0 (`a / (b > 0)`). */
const ratioByModel = (numerator: (model: TritonModel) => number, denominator: (model: TritonModel) => number): Sample[] =>
  byModel(numerator).flatMap((sample) => {
    const divisor = byModel(denominator).find((other) => other.labels.model === sample.labels.model)?.value ?? 0;
    return divisor > 0 ? [{ labels: sample.labels, value: sample.value / divisor }] : [];
  });
/** The worst instance's summary quantile per model; idle (NaN) instances show nothing. */
const worstQuantile = (quantile: keyof TritonModel['summary']): Sample[] =>
  [...new Set(tritonModels.map((model) => model.model))].flatMap((name) => {
    const values = tritonModels
      .filter((model) => model.model === name)
      .map((model) => model.summary[quantile])
      .filter((value) => !Number.isNaN(value));
    return values.length > 0 ? [{ labels: { model: name }, value: Math.max(...values) / 1e6 }] : [];
  });
/** Mean seconds per request of a duration counter, per model. */
const meanSeconds = (stage: keyof TritonModel['micros']) =>
  ratioByModel(
    (model) => (model.requests * model.micros[stage]) / 1e6,
    (model) => model.requests,
  );

/** What each target of the Triton preset shows at the end of the world, viewed over `view`. */
function tritonExpected(view: View): Expectations {
  // Whole-range figures count from the start of the world when the view reaches further back.
  const seconds = Math.min(view.seconds, worldSeconds);
  const successes = sum(tritonModels.map((model) => model.requests));
  const failures = sum(tritonModels.map((model) => model.failures ?? 0));
  const executions = sum(tritonModels.map((model) => model.executions));
  const failuresOf = (model: TritonModel) => model.failures ?? 0;
  return {
    'Successful requests / A': total(successes * seconds),
    'Failed requests / A': total(failures * seconds),
    'Model executions / A': total(executions * seconds),
    // Requests, not inferences: resnet50's clients send two items per request.
    'Batching efficiency (requests) / A': total(1 - executions / successes),
    'Request rate / A': byModel((model) => model.requests),
    // 0 where the failure counter never existed (distilbert, costly, idle).
    'Request rate / B': byModel(failuresOf),
    'Average batch size (inferences) / A': ratioByModel(
      (model) => model.requests * model.items,
      (model) => model.executions,
    ),
    'Error rate / A': ratioByModel(failuresOf, (model) => model.requests + failuresOf(model)),
    'Queue size / A': byModel((model) => model.pending),
    'Request latency P50 / P95 / A': worstQuantile('0.5'),
    'Request latency P50 / P95 / B': worstQuantile('0.95'),
    'Request latency P50 / P95 / AVG': meanSeconds('request'),
    'Queue time / A': meanSeconds('queue'),
    'Compute time / A': meanSeconds('input'),
    'Compute time / B': meanSeconds('infer'),
    'Compute time / C': meanSeconds('output'),
    'GPU utilization / A': total(sum(tritonGpus.map((gpu) => gpu.utilization)) / tritonGpus.length),
    'GPU memory usage / A': tritonGpus.map((gpu) => ({
      labels: { instance: gpu.instance, gpu_uuid: gpu.uuid },
      value: gpu.usedGiB / gpu.totalGiB,
    })),
    'Model summary / A': byModel((model) => model.requests * seconds),
    'Model summary / B': byModel((model) => failuresOf(model) * seconds),
    'Model summary / C': byModel((model) => model.executions * seconds),
    'Model summary / D': ratioByModel(
      (model) => model.requests * model.items,
      (model) => model.executions,
    ),
  };
}

/** histogram_quantile's definition: linear interpolation inside the bucket that holds the rank. */
function histogramQuantile(quantile: number, buckets: readonly (readonly [number, number])[]): number {
  const count = buckets.at(-1)?.[1] ?? 0;
  const rank = quantile * count;
  let lower = 0;
  let below = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) return bound === Infinity ? lower : lower + (bound - lower) * ((rank - below) / (cumulative - below));
    lower = bound;
    below = cumulative;
  }
  return lower;
}

const summed = (select: (api: BatcherInstance) => number) => sum(batcherInstances.map(select));

/** What each target of the batcher preset shows, viewed over `view`, heatmap cells `cellSeconds` wide. */
function batcherExpected(engine: Engine, view: View, cellSeconds: number): Expectations {
  const successes = summed((api) => api.success ?? 0);
  const errors = summed((api) => api.error ?? 0);
  const bounds = Object.keys(batcherInstances[0]?.latency ?? {});
  const latencyBuckets = bounds.map(
    (le) => [Number(le === '+Inf' ? Infinity : le), summed((api) => api.latency[le] ?? 0)] as const,
  );
  const quantile = (q: number) => total(histogramQuantile(q, latencyBuckets));
  const inferenceBuckets = Object.keys(batcherInstances[0]?.inference ?? {}).map(
    (le) => [Number(le === '+Inf' ? Infinity : le), summed((api) => api.inference[le] ?? 0)] as const,
  );
  const inferenceQuantile = (q: number) => total(histogramQuantile(q, inferenceBuckets));
  const batches = summed(batchesOf);
  const sizeBounds = Object.keys(batcherInstances[0]?.batchSizes ?? {});
  void view;
  return {
    'Request rate / A': total(successes),
    'Request rate / B': total(errors),
    'Error rate / A': total(errors / (successes + errors)),
    'Request latency P50 / P95 / P99 / A': quantile(0.5),
    'Request latency P50 / P95 / P99 / B': quantile(0.95),
    'Request latency P50 / P95 / P99 / C': quantile(0.99),
    'Request latency P50 / P95 / P99 / AVG': total(summed((api) => api.latencySum) / summed(observedOf)),
    'Average batch size (requests) / A': total(summed((api) => api.batchedRequests) / batches),
    'Batching efficiency (requests) / A': total(1 - batches / summed((api) => api.batchedRequests)),
    'Queue size / A': total(summed((api) => api.queue)),
    'Inflight batches / A': batcherInstances.map((api) => ({ labels: { instance: api.instance }, value: api.inflight })),
    'Batch wait time / A': total(summed((api) => api.waitSum) / summed((api) => api.batchedRequests)),
    'Inference time P50 / P95 / P99 / A': inferenceQuantile(0.5),
    'Inference time P50 / P95 / P99 / B': inferenceQuantile(0.95),
    'Inference time P50 / P95 / P99 / C': inferenceQuantile(0.99),
    'Inference time P50 / P95 / P99 / AVG': total(summed((api) => api.inferenceSum) / batches),
    // Each cell counts the batches of its own interval.
    'Batch size distribution / A': sizeBounds.map((le) => ({
      labels: { le: engine.bound(le) },
      value: summed((api) => api.batchSizes[le] ?? 0) * cellSeconds,
    })),
  };
}

/** The cases of every target of `json` over `view`: variables substituted as Grafana does for that panel. */
function dashboardCases(
  json: grafana.Dashboard,
  where: string,
  scrapeInterval: string,
  view: View,
  expected: (panel: grafana.Panel) => Expectations,
): Case[] {
  const cases: Case[] = [];
  for (const panel of allPanels(json)) {
    const refresh = panelRefresh(view, scrapeInterval, (panel as { interval?: string }).interval);
    for (const target of (panel.targets ?? []) as { refId: string; expr: string }[]) {
      const name = `${panel.title} / ${target.refId}`;
      const samples = expected(panel)[name];
      assert.ok(samples, `${where}: no expected numbers for "${name}"`);
      cases.push({
        name: `${where} ${view.name}: ${name}`,
        expr: expandVariables(target.expr, json, refresh),
        expected: samples,
      });
    }
  }
  return cases;
}

/**
 * The heatmap's cells over a view add up to every batch they cover. Grafana aligns a range query
 * to its step: it draws the cells ending at each multiple of the step from the view's start,
 * rounded down, to its end. A subquery reaching half a step past the first of them holds exactly
 * those. Cells before the world began hold nothing and are left out, and the sum is taken 60 cells
 * at a time: promtool caps the samples one query may load.
 */
function heatmapCellsCase(engine: Engine, json: grafana.Dashboard, scrapeInterval: string, view: View): Case {
  const panel = allPanels(json).find((candidate) => candidate.type === 'heatmap');
  assert.ok(panel);
  const refresh = panelRefresh(view, scrapeInterval, (panel as { interval?: string }).interval);
  const [target] = (panel.targets ?? []) as { expr: string }[];
  assert.ok(target);
  const cell = expandVariables(target.expr, json, refresh);
  const step = refresh.stepSeconds;
  const alignedStart = Math.floor((worldSeconds - view.seconds) / step) * step;
  const cells = Math.min((worldSeconds - alignedStart) / step + 1, worldSeconds / step);
  const chunks: string[] = [];
  for (let first = 0; first < cells; first += 60) {
    const count = Math.min(60, cells - first);
    // Prometheus 2 refuses `offset 0s`.
    const offset = first > 0 ? ` offset ${first * step}s` : '';
    chunks.push(`sum_over_time((${cell})[${(count - 1) * step * 1000 + (step * 1000) / 2}ms:${step}s]${offset})`);
  }
  return {
    name: `batcher ${view.name}: the heatmap's cells add up`,
    expr: chunks.join(' + '),
    expected: Object.keys(batcherInstances[0]?.batchSizes ?? {}).map((le) => ({
      labels: { le: engine.bound(le) },
      value: summed((api) => api.batchSizes[le] ?? 0) * cells * step,
    })),
  };
}

/** Evaluates `cases` (variables already substituted) at the end of the world, sampled every `scrapeInterval`. */
function atWorldEnd(
  engine: Engine,
  series: readonly InputSeries[],
  cases: readonly Case[],
  rules?: string,
  scrapeInterval = '15s',
) {
  const promqlTests = cases.flatMap((item) => exprTests({ ...item, at: `${worldSeconds}s` }, item.expr));
  return runTestFile(
    engine,
    [{ interval: scrapeInterval, input_series: series, promql_expr_test: promqlTests }],
    rules,
    scrapeInterval,
  );
}

const scrapeIntervals = ['5s', '15s', '60s'];

for (const scrapeInterval of scrapeIntervals) {
  testOnEngines(
    `every Triton and batcher panel reads the true number at every view, direct and recorded, with ${scrapeInterval} scrapes`,
    (engine) => {
      const scrapeSeconds = durationSeconds(scrapeInterval);
      const variants = [
        {
          triton: tritonDashboard({ scrapeInterval }).build(),
          batcher: batcherDashboard({ scrapeInterval }).build(),
          mode: 'direct',
        },
        {
          triton: tritonDashboard({ scrapeInterval, recorded: true }).build(),
          batcher: batcherDashboard({ scrapeInterval, recorded: true }).build(),
          mode: 'recorded',
        },
      ];
      const cases: Case[] = [];
      for (const view of views) {
        for (const { triton, batcher, mode } of variants) {
          cases.push(...dashboardCases(triton, `triton ${mode}`, scrapeInterval, view, () => tritonExpected(view)));
          cases.push(
            ...dashboardCases(batcher, `batcher ${mode}`, scrapeInterval, view, (panel) =>
              batcherExpected(
                engine,
                view,
                panelRefresh(view, scrapeInterval, (panel as { interval?: string }).interval).stepSeconds,
              ),
            ),
          );
        }
        cases.push(heatmapCellsCase(engine, variants[0]!.batcher, scrapeInterval, view));
      }
      const recordedReads = cases.filter((item) => /:rate\d/.test(item.expr));
      assert.ok(recordedReads.length > 20, 'the recorded variants read recorded series');
      const series = [...tritonWorld(), ...batcherWorld(engine)].map((one) => sampled(one, scrapeSeconds));
      const rules = ruleFile([recordingRules({ scrapeInterval }), recordingRules({ profile: batcherMetrics, scrapeInterval })]);
      const run = atWorldEnd(engine, series, cases, rules, scrapeInterval);
      assert.equal(
        run.status,
        0,
        `wrong numbers (cases: ${cases.map((item) => item.name).join('; ')}):\n${run.output.slice(0, 20_000)}`,
      );
    },
  );
}

/** Every label a rate or ratio splits by reads a number where one side never existed. */
testOnEngines(
  'split by instance, rates and ratios are defined where one side never existed: an outage reads 100 %, a never-failing instance 0 %',
  (engine) => {
    const batcher = { profile: batcherMetrics, groupBy: ['instance'] };
    const instances = (select: (api: BatcherInstance) => number | undefined) =>
      batcherInstances.flatMap((api) => {
        const value = select(api);
        return value === undefined ? [] : [{ labels: { instance: api.instance }, value }];
      });
    const requested = (api: BatcherInstance) => (api.success ?? 0) + (api.error ?? 0);
    const refresh = panelRefresh(views[0]!, '15s');
    const json = tritonDashboard().build();
    const cases: Case[] = [
      // api-4 has no request series at all: nothing to show, rather than a made-up 0.
      {
        name: 'success rate',
        expr: queries.requestRate(batcher).expr,
        expected: instances((api) => (requested(api) > 0 ? (api.success ?? 0) : undefined)),
      },
      {
        name: 'failure rate',
        expr: queries.requestRate({ ...batcher, outcome: 'failure' }).expr,
        expected: instances((api) => (requested(api) > 0 ? (api.error ?? 0) : undefined)),
      },
      {
        name: 'all requests',
        expr: queries.requestRate({ ...batcher, outcome: 'all' }).expr,
        expected: instances((api) => (requested(api) > 0 ? requested(api) : undefined)),
      },
      {
        name: 'error ratio',
        expr: queries.errorRatio(batcher).expr,
        expected: instances((api) => (requested(api) > 0 ? (api.error ?? 0) / requested(api) : undefined)),
      },
      {
        name: 'successes over the range',
        expr: queries.requestCount({ ...batcher, outcome: 'success' }).expr,
        expected: instances((api) => (requested(api) > 0 ? (api.success ?? 0) * 900 : undefined)),
      },
      {
        name: 'Triton failures per model and instance',
        expr: queries.requestRate({ groupBy: ['model', 'instance'], outcome: 'failure' }).expr,
        expected: tritonModels.map((model) => ({
          labels: { model: model.model, instance: model.instance },
          value: model.failures ?? 0,
        })),
      },
    ].map((item) => ({ ...item, expr: expandVariables(item.expr, json, refresh) }));
    const series = [...tritonWorld(), ...batcherWorld(engine)].map((one) => sampled(one, 15));
    const run = atWorldEnd(engine, series, cases);
    assert.equal(run.status, 0, run.output);
  },
);

testOnEngines(
  "across a restart (counter reset and one failed scrape) an instance's ratios stay true and rates read low by at most two scrapes of traffic",
  (engine) => {
    const restart = { instance: 't2', at: worldSeconds - 30 };
    const world = tritonWorld();
    const window = 60;
    const observed = (name: string, model: string) =>
      sum(
        world
          .filter((one) => one.name === name && one.labels.model === model)
          .map((one) => prometheusRate(engine, pointsOf(one, 15, restart), window, worldSeconds) ?? 0),
      );
    const json = tritonDashboard().build();
    const refresh = panelRefresh(views[0]!, '15s');
    const target = (title: string, refId = 'A') => {
      const panel = allPanels(json).find((candidate) => candidate.title === title);
      const expr = ((panel?.targets ?? []) as { refId: string; expr: string }[]).find(
        (candidate) => candidate.refId === refId,
      )?.expr;
      assert.ok(expr, `${title} / ${refId}`);
      return expandVariables(expr, json, refresh);
    };
    const served = tritonModels.filter((model) => model.requests > 0);
    const perModel = (value: (model: string) => number, models = served) =>
      [...new Set(models.map((model) => model.model))].map((model) => ({ labels: { model }, value: value(model) }));
    for (const model of new Set(served.map((one) => one.model))) {
      const truth = sum(tritonModels.filter((one) => one.model === model).map((one) => one.requests));
      const seen = observed('nv_inference_request_success', model);
      // The requests after t2's last scrape before the crash are lost, and the failed scrape widens the gap.
      assert.ok(
        seen <= truth + 1e-9 && seen >= truth * (1 - (2 * 15) / window),
        `${engine.name}: ${model} reads ${seen} req/s of ${truth} across the restart`,
      );
    }
    const cases: Case[] = [
      {
        name: 'request rate',
        expr: target('Request rate'),
        expected: perModel((model) => observed('nv_inference_request_success', model), tritonModels),
      },
      // Both sides of a ratio lose the same share of the restarted instance's traffic.
      {
        name: 'error rate',
        expr: target('Error rate'),
        expected: perModel((model) => {
          const failures = observed('nv_inference_request_failure', model);
          return failures / (failures + observed('nv_inference_request_success', model));
        }),
      },
      {
        name: 'batch size',
        expr: target('Average batch size (inferences)'),
        expected: ratioByModel(
          (model) => model.requests * model.items,
          (model) => model.executions,
        ),
      },
      { name: 'mean latency', expr: target('Request latency P50 / P95', 'AVG'), expected: meanSeconds('request') },
    ];
    const steadyErrorRates = ratioByModel(
      (model) => model.failures ?? 0,
      (model) => model.requests + (model.failures ?? 0),
    );
    // A model served by the restarted instance alone keeps its steady error rate.
    const onlyOnT2 = (model: string) => tritonModels.every((one) => one.model !== model || one.instance === 't2');
    for (const sample of cases[1]!.expected.filter((one) => onlyOnT2(one.labels.model ?? ''))) {
      const steady = steadyErrorRates.find((other) => other.labels.model === sample.labels.model)?.value ?? 0;
      assert.ok(
        Math.abs(sample.value - steady) < 1e-9,
        `${sample.labels.model}: error rate ${sample.value} across the restart, ${steady} steady`,
      );
    }
    const series = world.map((one) => sampled(one, 15, restart));
    const run = atWorldEnd(engine, series, cases);
    assert.equal(run.status, 0, run.output);
  },
);

testOnEngines(
  'with bursty traffic, recorded rates read what direct ones read, within one rule window of the peak, at every view',
  (engine) => {
    // 40 req/s for one minute in every five, the last burst ending two minutes before the end.
    const bursting = (t: number) => t % 300 >= 120 && t % 300 < 180;
    const served = (t: number) => 40 * (Math.floor(t / 300) * 60 + Math.min(Math.max((t % 300) - 120, 0), 60));
    assert.ok(!bursting(worldSeconds) && bursting(worldSeconds - 150));
    const labels = { job: 'triton', instance: 't1', model: 'bursty', version: '1' };
    const points = (scale: number) =>
      Array.from({ length: worldSeconds / 15 + 1 }, (_, index) => ({ t: index * 15, v: served(index * 15) * scale }));
    const input = [
      {
        series: selectorText('nv_inference_request_success', labels),
        values: points(1)
          .map(({ v }) => String(v))
          .join(' '),
      },
      {
        series: selectorText('nv_inference_count', labels),
        values: points(1)
          .map(({ v }) => String(v))
          .join(' '),
      },
      {
        series: selectorText('nv_inference_exec_count', labels),
        values: points(0.25)
          .map(({ v }) => String(v))
          .join(' '),
      },
    ];
    const direct = tritonDashboard().build();
    const recorded = tritonDashboard({ recorded: true }).build();
    const cases: Case[] = [];
    for (const view of views) {
      const refresh = panelRefresh(view, '15s');
      const window = durationSeconds(refresh.rateInterval);
      const directRate = prometheusRate(engine, points(1), window, worldSeconds) ?? 0;
      // The rule's 1m rates, evaluated every 15 s, averaged over the panel's window.
      const ruleTimes = points(1)
        .map(({ t }) => t)
        .filter((t) => (engine.major >= 3 ? t > worldSeconds - window : t >= worldSeconds - window));
      const ruleRates = ruleTimes
        .map((t) => prometheusRate(engine, points(1), 60, t))
        .filter((rate): rate is number => rate !== undefined);
      const recordedRate = sum(ruleRates) / ruleRates.length;
      // From the 6 h view on, the window holds the last burst, which ended before the last rule window.
      if (window >= 180) assert.ok(directRate > 0 && recordedRate > 0, `${view.name}: the window holds the burst`);
      assert.ok(
        Math.abs(recordedRate - directRate) <= (40 * 60) / window,
        `${engine.name} ${view.name}: recorded ${recordedRate}, direct ${directRate}`,
      );
      const rateOf = (json: grafana.Dashboard) =>
        expandVariables(
          ((allPanels(json).find((panel) => panel.title === 'Request rate')?.targets ?? []) as { expr: string }[])[0]?.expr ?? '',
          json,
          refresh,
        );
      const sizeOf = (json: grafana.Dashboard) =>
        expandVariables(
          (
            (allPanels(json).find((panel) => panel.title === 'Average batch size (inferences)')?.targets ?? []) as {
              expr: string;
            }[]
          )[0]?.expr ?? '',
          json,
          refresh,
        );
      cases.push(
        { name: `${view.name} direct`, expr: rateOf(direct), expected: [{ labels: { model: 'bursty' }, value: directRate }] },
        {
          name: `${view.name} recorded`,
          expr: rateOf(recorded),
          expected: [{ labels: { model: 'bursty' }, value: recordedRate }],
        },
        // Four requests per execution in every burst: a ratio of two recorded rates is exact; no value without traffic.
        {
          name: `${view.name} recorded batch size`,
          expr: sizeOf(recorded),
          expected: recordedRate > 0 ? [{ labels: { model: 'bursty' }, value: 4 }] : [],
        },
      );
    }
    const run = atWorldEnd(engine, input, cases, ruleFile([recordingRules()]));
    assert.equal(run.status, 0, run.output);
  },
);
