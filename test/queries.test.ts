import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  averageBatchSize,
  averageLatency,
  batcherMetrics,
  batchSizeDistribution,
  computeTime,
  createBatcherProfile,
  createTritonProfile,
  durationQuantile,
  errorRatio,
  gpuMemoryUsedRatio,
  gpuUtilization,
  latencyQuantile,
  MissingMetricError,
  requestRate,
  type PromQuery,
} from '../queries/index.js';
import { checkPromql as parse } from '../src/check/promql.js';

const parses = (query: PromQuery) => assert.equal(parse(query.expr), undefined, query.expr);

test('Triton counters are read through rate() and have no _total suffix', () => {
  for (const query of [requestRate(), averageBatchSize(), averageLatency(), computeTime('input')]) {
    assert.doesNotMatch(query.expr, /_total/);
    for (const name of query.expr.match(/nv_inference_[a-z_]+(?=\{)/g) ?? []) {
      assert.ok(query.expr.includes(`rate(${name}{`), `${name} is read raw in ${query.expr}`);
    }
    parses(query);
  }
});

test('ratios sum per model on both sides and guard the denominator with > 0', () => {
  const { expr } = averageBatchSize();
  assert.equal(
    expr,
    '(sum by(model) (rate(nv_inference_count{job=~"$job",instance=~"$instance",model=~"$model"}[$__rate_interval]))) / ' +
      '((sum by(model) (rate(nv_inference_exec_count{job=~"$job",instance=~"$instance",model=~"$model"}[$__rate_interval]))) > (0))',
  );
  assert.doesNotMatch(errorRatio().expr + averageLatency().expr, /clamp_min|1 \+/);
});

test('summary quantiles are never averaged: max per group, or exact per instance', () => {
  const { expr, by } = latencyQuantile(0.95);
  assert.match(expr, /^\(max by\(model\) \(\(nv_inference_request_summary_us\{quantile="0.95",.*\) >= \(0\)\)\)/);
  assert.doesNotMatch(expr, /\b(avg|sum)( by|\()/);
  assert.deepEqual(by, ['model']);
  assert.match(latencyQuantile(0.99, { groupBy: ['instance', 'model'] }).expr, /max by\(instance, model\)/);
});

test('histogram quantiles sum buckets by le before histogram_quantile', () => {
  const { expr } = latencyQuantile(0.95, { profile: batcherMetrics });
  assert.equal(
    expr,
    '(histogram_quantile(0.95, sum by(le) (rate(batcher_request_latency_seconds_bucket{job=~"$job",instance=~"$instance"}[$__rate_interval])))) >= (0)',
  );
});

test('quantiles outside (0, 1) or not exported by a summary are refused', () => {
  for (const quantile of [0, 1, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => latencyQuantile(quantile, { profile: batcherMetrics }), RangeError);
  }
  assert.throws(() => latencyQuantile(0.97), /exports quantiles 0.5, 0.9, 0.95, 0.99, 0.999, not 0.97/);
  assert.match(latencyQuantile(0.97, { profile: createTritonProfile({ summaryQuantiles: [0.97] }) }).expr, /quantile="0.97"/);
});

test('GPU utilization stays a 0-1 ratio and GPU series filter by $gpu on gpu_uuid', () => {
  const { expr } = gpuUtilization();
  assert.equal(expr, 'avg by(instance, gpu_uuid) (nv_gpu_utilization{job=~"$job",instance=~"$instance",gpu_uuid=~"$gpu"})');
  assert.doesNotMatch(expr, /100/);
  parses(gpuMemoryUsedRatio());
});

test('label values are escaped: quotes, backslashes, newlines and unicode cannot break out', () => {
  const nasty = 'a"} or up{x="\\\n模型';
  const { expr } = requestRate({ filters: [{ label: 'model', value: nasty }] });
  assert.ok(expr.includes(`model=${JSON.stringify(nasty)}`));
  assert.equal(parse(expr), undefined);
  assert.throws(() => requestRate({ filters: [{ label: 'model', value: '\ud800' }] }), /not valid UTF-8/);
  assert.throws(() => requestRate({ filters: [{ label: 'bad-label', value: 'x' }] }), /invalid label name/);
  assert.throws(() => requestRate({ window: '5m]) or up[5m' }), /invalid range/);
});

test('a profile without a metric gives a clear error naming profile and metric', () => {
  assert.throws(
    () => gpuUtilization({ profile: batcherMetrics }),
    (error: unknown) => {
      assert.ok(error instanceof MissingMetricError);
      assert.equal(error.message, 'profile "batcher" (Dynamic batcher) has no GPU metric');
      return true;
    },
  );
  assert.throws(() => batchSizeDistribution(), /profile "triton" \(NVIDIA Triton\) has no batch size histogram metric/);
  assert.throws(() => computeTime('input', { profile: batcherMetrics }), /has no compute input time metric/);
});

test('batcher metric names and status values are configurable', () => {
  const profile = createBatcherProfile({
    names: { requests: 'api_requests_total', requestLatency: 'api_latency_seconds' },
    statusLabel: 'outcome',
    statusValues: { success: 'ok', failure: 'failed' },
  });
  assert.match(requestRate({ profile, outcome: 'failure' }).expr, /api_requests_total\{outcome="failed",job=~"\$job"/);
  assert.match(latencyQuantile(0.5, { profile }).expr, /api_latency_seconds_bucket/);
  assert.match(averageBatchSize({ profile }).expr, /batcher_batch_size_sum/);
});

test('template-variable filters can be turned off, and groupBy drops labels the profile lacks', () => {
  const { expr, by } = requestRate({ templateVariables: false, groupBy: ['model', 'gpu'], profile: batcherMetrics });
  assert.equal(
    expr,
    '(sum(rate(batcher_requests_total{status="success"}[$__rate_interval]))) or ((sum(rate(batcher_requests_total{status="error"}[$__rate_interval]))) * (0))',
  );
  assert.deepEqual(by, []);
});

test('the first-response histogram of Triton 26.01+ is an option, not the default', () => {
  assert.throws(
    () => durationQuantile('firstResponse', 0.5),
    /profile "triton" \(NVIDIA Triton\) has no time to first token \(first response\) metric/,
  );
  const profile = createTritonProfile({ firstResponseHistogram: true });
  const { expr } = durationQuantile('firstResponse', 0.5, { profile });
  assert.equal(
    expr,
    '((histogram_quantile(0.5, sum by(le, model) (rate(nv_inference_first_response_histogram_ms_bucket' +
      '{job=~"$job",instance=~"$instance",model=~"$model"}[$__rate_interval])))) >= (0)) / (1000)',
  );
});

test('topSeries text is what the PromQL builder renders for its expression, for one label and several, largest and smallest', async () => {
  const { render, topSeries } = await import('../queries/promql.js');
  const { gpuMemoryUsedRatio, requestRate } = await import('../queries/index.js');
  for (const query of [requestRate({}), gpuMemoryUsedRatio({})]) {
    for (const rank of ['largest', 'smallest'] as const) {
      const limited = topSeries(query, 7, rank);
      assert.equal(limited.expr, render(limited.expression));
      assert.equal(parse(limited.expr), undefined);
      assert.ok(limited.expr.includes(rank === 'largest' ? '(topk(7, ' : '(bottomk(7, '), limited.expr);
    }
  }
});
