/**
 * Every query the presets ship, and every query function, evaluated by a real Prometheus
 * engine (promtool) on known series: the numbers asserted are the ones a user would read.
 */
import assert from 'node:assert/strict';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  batcherDashboard,
  batcherMetrics,
  queries,
  requestRate,
  recordingRules,
  ruleFile,
  tritonDashboard,
} from '../src/index.js';
import { validatePromql } from '../src/buildTool.js';
import { dashboardCases } from './support/dashboardCases.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { counter, evaluate, type Case, type Sample } from './support/promtool.js';
import { batcherSeries, tritonSeries } from './support/scenarios.js';

const perModel = (values: Record<string, number>): Sample[] =>
  Object.entries(values).map(([model, value]) => ({ labels: { model }, value }));
const total = (value: number): Sample[] => [{ labels: {}, value }];

/**
 * histogram_quantile's definition: linear interpolation inside the bucket (lower, upper] that
 * holds the rank, given the rate of observations below it and inside it.
 */
function interpolated(quantile: number, count: number, below: number, inside: number, lower: number, upper: number): number {
  return lower + (upper - lower) * ((quantile * count - below) / inside);
}

function assertEvaluates(engine: Engine, series: Parameters<typeof evaluate>[1], cases: Case[], rules?: string): void {
  const { status, output } = evaluate(engine, series, cases, rules);
  assert.equal(status, 0, `promtool found wrong numbers:\n${output}`);
}

/** The same expectations for the dashboard's recorded variant, with the recording rules loaded. */
function recordedCases(json: grafana.Dashboard, direct: Case[]): Case[] {
  const expected = Object.fromEntries(direct.map((item) => [item.name, item.expected]));
  const cases = dashboardCases(json, expected);
  assert.ok(
    cases.some((item) => item.expr.includes(':rate1m')),
    'the recorded variant reads recorded series',
  );
  return cases;
}

testOnEngines('every query of the Triton dashboard reads the known numbers on Prometheus', (engine) => {
  const json = tritonDashboard().build();
  validatePromql(json, 'triton preset');
  const cases = dashboardCases(json, {
    // Whole range (10 m): 58 req/s, 2 failures/s, 18 executions/s.
    'Successful requests / A': total(34800),
    'Failed requests / A': total(1200),
    'Model executions / A': total(10800),
    'Batching efficiency (requests) / A': total(1 - 10800 / 34800),
    'Request rate / A': perModel({ resnet50: 48, distilbert: 10 }),
    'Request rate / B': perModel({ resnet50: 2, distilbert: 0 }),
    'Average batch size (inferences) / A': perModel({ resnet50: 6, distilbert: 1 }),
    'Error rate / A': perModel({ resnet50: 0.04, distilbert: 0 }),
    'Queue size / A': perModel({ resnet50: 5, distilbert: 0 }),
    // Summary quantiles: the worst instance; averages: exact over both instances and GPUs.
    'Request latency P50 / P95 / A': perModel({ resnet50: 0.009, distilbert: 0.011 }),
    'Request latency P50 / P95 / B': perModel({ resnet50: 0.02, distilbert: 0.014 }),
    'Request latency P50 / P95 / AVG': perModel({ resnet50: 0.015, distilbert: 0.012 }),
    'Queue time / A': perModel({ resnet50: 0.005, distilbert: 0.001 }),
    'Compute time / A': perModel({ resnet50: 0.0005, distilbert: 0.0002 }),
    'Compute time / B': perModel({ resnet50: 0.008, distilbert: 0.01 }),
    'Compute time / C': perModel({ resnet50: 0.00025, distilbert: 0.0001 }),
    'GPU utilization / A': total(0.75),
    'GPU memory usage / A': [
      { labels: { instance: 'triton-1:8002', gpu_uuid: 'GPU-A' }, value: 0.5 },
      { labels: { instance: 'triton-1:8002', gpu_uuid: 'GPU-B' }, value: 0.25 },
      { labels: { instance: 'triton-2:8002', gpu_uuid: 'GPU-C' }, value: 0.75 },
    ],
    'Model summary / A': perModel({ resnet50: 28800, distilbert: 6000 }),
    'Model summary / B': perModel({ resnet50: 1200, distilbert: 0 }),
    'Model summary / C': perModel({ resnet50: 4800, distilbert: 6000 }),
    'Model summary / D': perModel({ resnet50: 6, distilbert: 1 }),
  });
  assertEvaluates(engine, tritonSeries, cases);
  // Recording-rule mode: the same numbers from the recorded series.
  assertEvaluates(
    engine,
    tritonSeries,
    recordedCases(tritonDashboard({ recorded: true }).build(), cases),
    ruleFile([recordingRules()]),
  );
});

testOnEngines('every query of the batcher dashboard reads the known numbers on Prometheus', (engine) => {
  const json = batcherDashboard().build();
  validatePromql(json, 'batcher preset');
  // 20 requests/s: 10 in (0, 5 ms], 8 in (5, 10 ms], 2 in (10, 30 ms].
  const quantile = (q: number) =>
    q <= 0.5
      ? interpolated(q, 20, 0, 10, 0, 0.005)
      : q <= 0.9
        ? interpolated(q, 20, 10, 8, 0.005, 0.01)
        : interpolated(q, 20, 18, 2, 0.01, 0.03);
  const cases = dashboardCases(json, {
    'Request rate / A': total(19),
    'Request rate / B': total(1),
    'Error rate / A': total(0.05),
    'Request latency P50 / P95 / P99 / A': total(quantile(0.5)), // 5 ms
    'Request latency P50 / P95 / P99 / B': total(quantile(0.95)), // 20 ms
    'Request latency P50 / P95 / P99 / C': total(quantile(0.99)), // 28 ms
    'Request latency P50 / P95 / P99 / AVG': total(0.0125),
    'Average batch size (requests) / A': total(5),
    'Batching efficiency (requests) / A': total(1 - 4 / 20),
    'Queue size / A': total(7),
    'Inflight batches / A': [
      { labels: { instance: 'api-1' }, value: 2 },
      { labels: { instance: 'api-2' }, value: 1 },
    ],
    'Batch wait time / A': total(0.00390625),
    // Summed buckets 1.5 / 3.5 / 4 / 4 per second at 0.01 / 0.03 / 0.1 / +Inf, interpolated as histogram_quantile does.
    'Inference time P50 / P95 / P99 / A': total(0.015),
    'Inference time P50 / P95 / P99 / B': total(0.072),
    'Inference time P50 / P95 / P99 / C': total(0.0944),
    'Inference time P50 / P95 / P99 / AVG': total(0.03125),
    'Batch size distribution / A': [
      { labels: { le: engine.bound('1') }, value: 0 },
      { labels: { le: engine.bound('2') }, value: 0 },
      { labels: { le: engine.bound('4') }, value: 30 },
      { labels: { le: engine.bound('8') }, value: 240 },
      { labels: { le: engine.bound('16') }, value: 240 },
      { labels: { le: '+Inf' }, value: 240 },
    ],
  });
  assertEvaluates(engine, batcherSeries(engine), cases);
  assertEvaluates(
    engine,
    batcherSeries(engine),
    recordedCases(batcherDashboard({ recorded: true }).build(), cases),
    ruleFile([recordingRules({ profile: batcherMetrics })]),
  );
});

testOnEngines('query options (grouping, filters, outcomes, other quantiles) evaluate to the known numbers', (engine) => {
  const byInstance = { groupBy: ['model', 'instance'] };
  const t1 = 'triton-1:8002';
  const t2 = 'triton-2:8002';
  const cases: Case[] = [
    {
      name: 'P95 per instance is exact, not a max',
      expr: queries.latencyQuantile(0.95, byInstance).expr,
      expected: [
        { labels: { model: 'resnet50', instance: t1 }, value: 0.02 },
        { labels: { model: 'resnet50', instance: t2 }, value: 0.016 },
        { labels: { model: 'distilbert', instance: t2 }, value: 0.014 },
      ],
    },
    { name: 'P99', expr: queries.latencyQuantile(0.99).expr, expected: perModel({ resnet50: 0.03, distilbert: 0.016 }) },
    {
      name: 'batch size per instance sums the GPU split first',
      expr: queries.averageBatchSize(byInstance).expr,
      expected: [
        { labels: { model: 'resnet50', instance: t1 }, value: 6 },
        { labels: { model: 'resnet50', instance: t2 }, value: 6 },
        { labels: { model: 'distilbert', instance: t2 }, value: 1 },
      ],
    },
    {
      name: 'all requests',
      expr: queries.requestRate({ outcome: 'all' }).expr,
      expected: perModel({ resnet50: 50, distilbert: 10 }),
    },
    { name: 'executions per second', expr: queries.executionRate().expr, expected: perModel({ resnet50: 8, distilbert: 10 }) },
    {
      name: 'filter by model',
      expr: queries.requestRate({ groupBy: [], filters: [{ label: 'model', value: 'distilbert' }] }).expr,
      expected: total(10),
    },
    {
      name: 'negative regex filter',
      expr: queries.requestRate({ groupBy: ['instance'], filters: [{ label: 'model', operator: '!~', value: 'resnet.*' }] }).expr,
      expected: [{ labels: { instance: t2 }, value: 10 }],
    },
    {
      name: 'efficiency per model',
      expr: queries.batchingEfficiency().expr,
      expected: perModel({ resnet50: 1 - 8 / 48, distilbert: 0 }),
    },
    {
      name: 'GPU memory bytes',
      expr: queries.gpuMemoryUsed({ groupBy: ['instance'] }).expr,
      expected: [
        { labels: { instance: t1 }, value: 60 * 1024 ** 3 },
        { labels: { instance: t2 }, value: 60 * 1024 ** 3 },
      ],
    },
    {
      name: 'GPU utilization per GPU',
      expr: queries.gpuUtilization({ filters: [{ label: 'gpu', value: 'GPU-A' }] }).expr,
      expected: [{ labels: { instance: t1, gpu_uuid: 'GPU-A' }, value: 0.875 }],
    },
    { name: 'GPU power', expr: queries.gpuPowerUsage({ groupBy: [] }).expr, expected: total(1200) },
    {
      name: 'failures over the range',
      expr: queries.requestCount({ outcome: 'failure', groupBy: ['model'] }).expr,
      expected: perModel({ resnet50: 1200, distilbert: 0 }),
    },
    { name: 'fixed 5m window', expr: queries.requestRate({ window: '5m', groupBy: [] }).expr, expected: total(58) },
  ];
  assertEvaluates(engine, tritonSeries, cases);
});

testOnEngines('batcher failures read 0, not "No data", where the error counter has no series yet', (engine) => {
  const api2 = { profile: batcherMetrics, groupBy: ['instance'], filters: [{ label: 'instance', value: 'api-2' }] };
  const cases: Case[] = [
    { name: 'error ratio', expr: queries.errorRatio(api2).expr, expected: [{ labels: { instance: 'api-2' }, value: 0 }] },
    {
      name: 'failure rate',
      expr: queries.requestRate({ ...api2, outcome: 'failure' }).expr,
      expected: [{ labels: { instance: 'api-2' }, value: 0 }],
    },
    {
      name: 'latency quantile per instance from histograms',
      expr: queries.latencyQuantile(0.5, { profile: batcherMetrics, groupBy: ['instance'] }).expr,
      expected: [
        // api-1: 13 requests/s, 6 under 5 ms, 5 more under 10 ms; api-2: 7 requests/s, 4 under 5 ms.
        { labels: { instance: 'api-1' }, value: interpolated(0.5, 13, 6, 5, 0.005, 0.01) },
        { labels: { instance: 'api-2' }, value: interpolated(0.5, 7, 0, 4, 0, 0.005) },
      ],
    },
  ];
  assertEvaluates(engine, batcherSeries(engine), cases);
});

testOnEngines(
  'with more models than topSeries, a split panel draws the largest ones: 12 models, the top 10 by request rate',
  (engine) => {
    const rates = Array.from({ length: 12 }, (_, index) => index + 1);
    const series = rates.map((rate) =>
      counter(
        'nv_inference_request_success',
        { job: 'triton', instance: 'triton-1:8002', model: `m${rate}`, version: '1' },
        rate,
      ),
    );
    const [success] = (requestRate().build() as { targets: { expr: string }[] }).targets;
    assert.ok(success);
    assertEvaluates(engine, series, [
      {
        name: 'Request rate / A',
        expr: success.expr,
        expected: perModel(Object.fromEntries(rates.slice(2).map((rate) => [`m${rate}`, rate]))),
      },
    ]);
  },
);
