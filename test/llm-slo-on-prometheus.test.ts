/**
 * Latency objectives of LLM serving: time to first token and inter-token latency, from the
 * servers' histograms. Good events are requests (or, where the histogram counts them, output
 * tokens) under a bucket bound, which must be one the server exports; the recorded error ratio
 * is evaluated on a real Prometheus over series with the servers' real bounds, `le="1.0"` as
 * Python prints it and `le="1"` as Prometheus 3 stores a C++ bound, and in milliseconds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createTritonProfile,
  ruleFile,
  serviceLevelObjective,
  sglangMetrics,
  sloRules,
  vllmMetrics,
  type ServiceLevelObjective,
} from '../src/index.js';
import { sglangBuckets, sloErrorRatio, vllmBuckets } from '../queries/index.js';
import { testOnEngines } from './support/engines.js';
import { combined, countOf, histogramSeries, observed, plainBound } from './support/histograms.js';
import { sglangSeries, sglangServers, vllmEngines, vllmSeries } from './support/llmWorlds.js';
import { evaluate, promtool, type Case, type Sample } from './support/promtool.js';
import { asInput } from './support/world.js';

const timeToFirstToken = (name: string, thresholdSeconds: number) =>
  serviceLevelObjective({
    name,
    objective: 99,
    profile: vllmMetrics,
    indicator: { kind: 'latency', timing: 'firstResponse', thresholdSeconds },
  });
const interToken = serviceLevelObjective({
  name: 'sglang-itl',
  objective: 99,
  profile: sglangMetrics,
  indicator: { kind: 'latency', timing: 'interToken', thresholdSeconds: 0.015 },
});

/** The share of observations above `threshold` in each group: what an objective's error ratio reads. */
function slower<T extends { readonly model: string }>(
  items: readonly T[],
  threshold: number,
  read: (item: T) => ReadonlyMap<number, number>,
): Sample[] {
  const models = [...new Set(items.map((item) => item.model))];
  // An idle model has no ratio: the objective's `a / (b > 0)` reads nothing.
  return models.flatMap((model) => {
    const distribution = combined(...items.filter((item) => item.model === model).map(read));
    const over = [...distribution].filter(([bound]) => bound > threshold).reduce((sum, [, rate]) => sum + rate, 0);
    const count = countOf(distribution);
    return count > 0 ? [{ labels: { model_name: model }, value: over / count }] : [];
  });
}

test('an objective names a bound the histogram exports, or says which are near', () => {
  assert.throws(
    () => timeToFirstToken('vllm-ttft', 0.3),
    /SLO "vllm-ttft": 0.3 s is not a bucket bound of vllm:time_to_first_token_seconds, so no series counts the requests under it; use 0.25 s or 0.5 s/,
  );
  assert.equal(timeToFirstToken('vllm-ttft', 0.5).description, '99 % of requests get their first token within 0.5 s');
  assert.equal(interToken.description, '99 % of output tokens follow the previous one within 0.015 s');
  assert.throws(
    () =>
      serviceLevelObjective({
        name: 'tgi-ttft',
        objective: 99,
        profile: { ...vllmMetrics, firstResponse: { approximation: 'queue + prefill', parts: [] } },
        indicator: { kind: 'latency', timing: 'firstResponse', thresholdSeconds: 1 },
      }),
    /only an approximation \(queue \+ prefill\)/,
  );
});

testOnEngines('time-to-first-token and inter-token objectives count the slow requests and tokens under real bounds', (engine) => {
  const half = timeToFirstToken('vllm-ttft', 0.5);
  // A whole second: vLLM prints le="1.0"; the matcher takes 1 and 1.0 alike.
  const second = timeToFirstToken('vllm-ttft-1s', 1);
  const cases: Case[] = [
    {
      name: 'TTFT over 0.5 s',
      expr: sloErrorRatio(half, '5m').expr,
      expected: slower(vllmEngines, 0.5, (source) => source.timeToFirstToken.buckets),
    },
    {
      name: 'TTFT over 1 s',
      expr: sloErrorRatio(second, '5m').expr,
      expected: slower(vllmEngines, 1, (source) => source.timeToFirstToken.buckets),
    },
    {
      name: 'tokens slower than 15 ms',
      expr: sloErrorRatio(interToken, '5m').expr,
      expected: slower(sglangServers, 0.015, (server) => server.interToken.buckets),
    },
  ];
  assert.ok(
    cases.every((item) => item.expected.some((sample) => sample.value > 0)),
    'every objective has slow events to count',
  );
  const world = [...vllmSeries(engine), ...sglangSeries(engine)].map((one) => asInput(one));
  const { status, output } = evaluate(engine, world, cases);
  assert.equal(status, 0, `promtool found wrong numbers:\n${output}`);
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-llm-slo-'));
  writeFileSync(join(directory, 'rules.yml'), ruleFile([sloRules([half, second, interToken])]));
  const check = promtool(engine, ['check', 'rules', join(directory, 'rules.yml')]);
  assert.equal(check.status, 0, check.output);
});

testOnEngines(
  "Triton's first-response objective reads its histogram in milliseconds, bounds written as C++ prints them",
  (engine) => {
    const profile = createTritonProfile({ firstResponseHistogram: true });
    const slo: ServiceLevelObjective = serviceLevelObjective({
      name: 'triton-first-response',
      objective: 99,
      profile,
      indicator: { kind: 'latency', timing: 'firstResponse', thresholdSeconds: 0.1 },
    });
    const bounds = [10, 100, 1000];
    const labels = { job: 'triton', instance: 't1', model: 'llama', version: '1' };
    const series = histogramSeries(
      engine,
      'nv_inference_first_response_histogram_ms',
      labels,
      bounds,
      plainBound,
      observed(bounds, { 10: 6, 100: 3, 1000: 1 }),
      500,
    );
    const { status, output } = evaluate(
      engine,
      series.map((one) => asInput(one)),
      [
        {
          name: 'first responses over 100 ms',
          expr: sloErrorRatio(slo, '5m').expr,
          expected: [{ labels: { model: 'llama' }, value: 0.1 }],
        },
      ],
    );
    assert.equal(status, 0, `promtool found wrong numbers:\n${output}`);
  },
);

test('the worlds hold the bounds the objectives name', () => {
  assert.ok(vllmBuckets.timeToFirstToken.includes(0.5) && vllmBuckets.timeToFirstToken.includes(1));
  assert.ok(sglangBuckets.interToken.includes(0.015));
});
