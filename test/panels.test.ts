import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import * as panels from '../panels/index.js';
import { batcherMetrics, tritonMetrics } from '../queries/index.js';

type Built = grafana.Panel & { targets: { refId: string; expr: string; legendFormat: string }[] };
const build = (builder: { build(): unknown }) => JSON.parse(JSON.stringify(builder.build())) as Built;

const families = {
  requestRate: ['timeseries', 'reqps'],
  errorRate: ['timeseries', 'percentunit'],
  batchSize: ['timeseries', 'short'],
  latency: ['timeseries', 's'],
  gpuUtilization: ['gauge', 'percentunit'],
  gpuMemory: ['timeseries', 'percentunit'],
  queueTime: ['timeseries', 's'],
  computeTime: ['timeseries', 's'],
  batchingEfficiency: ['stat', 'percentunit'],
  totalRequests: ['stat', 'short'],
  totalFailures: ['stat', 'short'],
  totalExecutions: ['stat', 'short'],
  modelSummary: ['table', 'short'],
  queueSize: ['timeseries', 'short'],
  inflightBatches: ['timeseries', 'short'],
  batchSizeDistribution: ['heatmap', 'short'],
} as const;

test('every panel builds with no arguments: type, unit, title, description and targets', () => {
  for (const [name, [type, unit]] of Object.entries(families)) {
    const panel = build((panels[name as keyof typeof families] as () => { build(): unknown })());
    assert.equal(panel.type, type, name);
    assert.equal(panel.fieldConfig?.defaults?.unit, unit, name);
    assert.ok(panel.title && panel.title.length > 3, name);
    assert.ok((panel.description ?? '').length > 40, `${name} describes what it shows`);
    assert.ok(panel.targets.length > 0, name);
    for (const target of panel.targets) assert.ok(target.expr.length > 0 && target.refId, name);
  }
});

test('descriptions tell what good looks like', () => {
  assert.match(build(panels.batchSize()).description ?? '', /Good: above 2.*Bad: about 1/);
  assert.match(build(panels.latency()).description ?? '', /P50 under 100 ms, P95 under 500 ms/);
  assert.match(build(panels.batchingEfficiency()).description ?? '', /above 50 %.*above 70 %/);
});

test('the GPU gauge is green under 50 %, yellow to 80 %, red above, on a 0-1 scale', () => {
  const panel = build(panels.gpuUtilization());
  assert.deepEqual(panel.fieldConfig?.defaults?.thresholds?.steps, [
    { value: null, color: 'green' },
    { value: 0.5, color: 'yellow' },
    { value: 0.8, color: 'red' },
  ]);
  assert.equal(panel.fieldConfig?.defaults?.min, 0);
  assert.equal(panel.fieldConfig?.defaults?.max, 1);
});

test('latency draws P50/P95 and the mean by default, and says where they come from', () => {
  const panel = build(panels.latency());
  assert.deepEqual(
    panel.targets.map((target) => target.legendFormat),
    ['{{model}} P50', '{{model}} P95', '{{model}} avg'],
  );
  assert.equal(panel.title, 'Request latency P50 / P95');
  assert.match(panel.description ?? '', /nv_inference_request_summary_us summary.*worst instance \(max\)/);
  const custom = build(panels.latency({ quantiles: [0.99, 0.999], average: false, profile: batcherMetrics }));
  assert.deepEqual(
    custom.targets.map((target) => target.legendFormat),
    ['P99', 'P99.9'],
  );
  assert.match(custom.description ?? '', /histogram_quantile/);
});

test('legends follow the grouping', () => {
  assert.equal(build(panels.batchSize({ groupBy: ['model', 'instance'] })).targets[0]?.legendFormat, '{{model}} {{instance}}');
  assert.equal(build(panels.gpuMemory()).targets[0]?.legendFormat, '{{instance}} {{gpu_uuid}}');
  assert.deepEqual(
    build(panels.requestRate()).targets.map((target) => target.legendFormat),
    ['{{model}} success', '{{model}} failure'],
  );
});

test('options override title, description, unit, thresholds and size', () => {
  const panel = build(
    panels.queueTime({
      title: 'Waiting',
      description: 'custom',
      unit: 'ms',
      thresholds: [
        { value: null, color: 'green' },
        { value: 1, color: 'red' },
      ],
      width: 24,
      height: 6,
    }),
  );
  assert.deepEqual([panel.title, panel.description, panel.fieldConfig?.defaults?.unit], ['Waiting', 'custom', 'ms']);
  assert.deepEqual(panel.gridPos, { x: 0, y: 0, w: 24, h: 6 });
  assert.equal(panel.fieldConfig?.defaults?.thresholds?.steps.length, 2);
});

test('thresholds out of order, non-finite or without a base are refused', () => {
  const bad = [
    [{ value: 1, color: 'red' }],
    [
      { value: null, color: 'green' },
      { value: 2, color: 'yellow' },
      { value: 1, color: 'red' },
    ],
    [
      { value: null, color: 'green' },
      { value: Number.NaN, color: 'red' },
    ],
    [
      { value: null, color: 'green' },
      { value: Number.POSITIVE_INFINITY, color: 'red' },
    ],
  ];
  for (const thresholds of bad) assert.throws(() => panels.batchSize({ thresholds }), /threshold/);
  assert.throws(() => panels.batchSize({ title: '' }), /panel title is empty \(default "Average batch size \(inferences\)"\)/);
  assert.throws(
    () => panels.batchSize({ thresholds: bad[1] }),
    /^Error: panel "Average batch size \(inferences\)": thresholds must ascend: 1 follows 2$/,
  );
});

test('panels return Foundation SDK builders, so every SDK option stays available', () => {
  const panel = build(panels.requestRate().decimals(2).axisLabel('req/s'));
  assert.equal(panel.fieldConfig?.defaults?.decimals, 2);
  assert.equal((panel.fieldConfig?.defaults?.custom as { axisLabel?: string }).axisLabel, 'req/s');
});

test('batcher-only panels default to the batcher profile and say clearly when a profile lacks their metric', () => {
  const heatmap = build(panels.batchSizeDistribution());
  assert.equal(heatmap.type, 'heatmap');
  assert.equal((heatmap.targets[0] as { format?: string }).format, 'heatmap');
  assert.match(heatmap.targets[0]?.expr ?? '', /^sum by\(le\) \(increase\(batcher_batch_size_bucket\{/);
  assert.equal(build(panels.inflightBatches()).targets[0]?.legendFormat, '{{instance}}');
  assert.throws(
    () => panels.batchSizeDistribution({ profile: tritonMetrics }),
    /profile "triton" \(NVIDIA Triton\) has no batch size histogram metric/,
  );
  assert.throws(
    () => panels.inflightBatches({ profile: tritonMetrics }),
    /profile "triton" \(NVIDIA Triton\) has no inflight batches metric/,
  );
});

test('compute time draws the stages the profile reports', () => {
  assert.deepEqual(
    build(panels.computeTime()).targets.map((target) => target.legendFormat),
    ['{{model}} input', '{{model}} infer', '{{model}} output'],
  );
  const batcher = build(panels.computeTime({ profile: batcherMetrics }));
  assert.deepEqual(
    batcher.targets.map((target) => target.legendFormat),
    ['infer'],
  );
  assert.match(batcher.description ?? '', /per batch/);
});

test('split time series draw at most topSeries series (10 by default); one-series queries and topSeries 0 stay as they are', () => {
  for (const [name, [type]] of Object.entries(families)) {
    if (type !== 'timeseries') continue;
    const builder = panels[name as keyof typeof families] as (options?: panels.PanelOptions) => { build(): unknown };
    for (const target of build(builder()).targets) {
      const split = target.legendFormat.includes('{{');
      assert.equal(
        /\) and on\([\w, ]+\) \(topk\(10, avg_over_time\(.*\[\$__range:\$__rate_interval\] @ end\(\)\)\)\)$/.test(target.expr),
        split,
        `${name} / ${target.refId}: ${target.expr}`,
      );
    }
  }
  const limited = build(panels.requestRate({ topSeries: 3 })).targets;
  assert.ok(limited.every((target) => target.expr.includes('(topk(3, avg_over_time(')));
  const all = build(panels.requestRate({ topSeries: 0 })).targets;
  assert.ok(all.every((target) => !target.expr.includes('topk')));
  const total = build(panels.requestRate({ groupBy: [] })).targets;
  assert.ok(total.every((target) => !target.expr.includes('topk')));
  assert.throws(
    () => panels.batchSize({ topSeries: 2.5 }),
    /panel "Average batch size \(inferences\)": topSeries must be a whole number/,
  );
});
