/**
 * Every public builder checks its options at run time, as JavaScript callers and TypeScript
 * callers who never run tsc call it: unknown names (with a "did you mean"), wrong types,
 * unknown values and unit ids Grafana does not have fail with one line naming the builder, the
 * option and the value; what the README and the examples pass is accepted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as inferboard from '../src/index.js';
import { OptionsError } from '../queries/options.js';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'dist/schema/options.json'), 'utf8')) as {
  builders: Record<string, string>;
  properties: Record<string, string[]>;
};
const builders = inferboard as unknown as Record<string, (options?: unknown) => unknown>;

/** The error `call` throws: its class name and message. */
function failure(call: () => unknown): { name: string; message: string } {
  try {
    call();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  assert.fail('no error');
}

test('the schemas cover every builder inferboard exports that takes options', () => {
  const exportedBuilders = Object.keys(manifest.builders);
  assert.ok(exportedBuilders.length >= 50, `${exportedBuilders.length} builders`);
  for (const name of [
    'latency',
    'gpuMemory',
    'requestRate',
    'dashboard',
    'tritonDashboard',
    'vllmDashboard',
    'tritonAlerts',
    'llmAlerts',
    'createTritonProfile',
    'serviceLevelObjective',
    'sloDashboard',
    'recordingRules',
  ]) {
    assert.ok(exportedBuilders.includes(name), name);
  }
  for (const name of exportedBuilders) assert.equal(typeof builders[name], 'function', `${name} is exported`);
});

test('every builder rejects an option it does not take, naming itself, the option and the value', () => {
  for (const [name, type] of Object.entries(manifest.builders)) {
    const error = failure(() => builders[name]!({ notAnOption: 42 }));
    assert.equal(error.name, 'OptionsError', `${name}: ${error.message}`);
    assert.match(error.message, new RegExp(`^${name}: option `), name);
    // Where nothing is required, the unknown name is what is reported.
    if (!/ is required$/.test(error.message)) {
      assert.equal(
        error.message,
        `${name}: option notAnOption = 42 is not one it takes (it takes ${manifest.properties[type]!.join(', ')})`,
      );
    }
  }
});

test("the issue's cases: a typo, a string where a list goes, an unknown value, a string threshold, a misspelled unit", () => {
  const cases: [() => unknown, string][] = [
    [
      () => inferboard.latency({ quantile: [0.5, 0.99] } as never),
      'latency: option quantile = [0.5,0.99] is not one it takes; did you mean quantiles?',
    ],
    [() => inferboard.gpuMemory({ measure: 'x' } as never), 'gpuMemory: option measure = "x" must be one of "ratio", "bytes"'],
    [() => inferboard.requestRate({ groupBy: 'model' } as never), 'requestRate: option groupBy = "model" must be an array'],
    [
      () =>
        inferboard.requestRate({
          thresholds: [
            { value: null, color: 'green' },
            { value: '80', color: 'red' },
          ],
        } as never),
      'requestRate: option thresholds[1].value = "80" must be a number or null',
    ],
    [
      () => inferboard.latency({ unit: 'milisecond' }),
      'latency: option unit = "milisecond" is not a Grafana unit id; did you mean "ms"?',
    ],
    [
      () => inferboard.requestRate({ unit: 'reqs' }),
      'requestRate: option unit = "reqs" is not a Grafana unit id; did you mean "reqps"?',
    ],
    [
      () => inferboard.requestRate({ filters: [{ label: 'model', valu: 'x' }] } as never),
      'requestRate: option filters[0]: valu = "x" is not one it takes; did you mean value?',
    ],
    [
      () => inferboard.tritonAlerts({ jb: 'triton' } as never),
      'tritonAlerts: option jb = "triton" is not one it takes; did you mean job?',
    ],
    [() => inferboard.vllmDashboard({ gpu: true } as never), 'vllmDashboard: option gpu = true must be an object'],
    [() => inferboard.dashboard({ title: 'No uid' } as never), 'dashboard: option uid is required'],
    [
      () =>
        inferboard.latency({
          profile: { ...inferboard.tritonMetrics, labels: { ...inferboard.tritonMetrics.labels, modle: 'x' } },
        } as never),
      'latency: option profile.labels: modle = "x" is not one it takes; did you mean model?',
    ],
  ];
  for (const [call, message] of cases) {
    const error = failure(call);
    assert.equal(error.name, 'OptionsError');
    assert.equal(error.message, message);
  }
  assert.ok(new OptionsError('x') instanceof Error);
});

test("what the README documents passes: every Grafana unit id, custom units, window: '5m', a profile of one's own", () => {
  for (const unit of [
    'ms',
    's',
    'reqps',
    'percentunit',
    'bytes',
    'decbytes',
    'watt',
    'celsius',
    'short',
    'none',
    'suffix: tok',
    'currency:EUR',
  ]) {
    assert.doesNotThrow(() => inferboard.requestRate({ unit }), unit);
  }
  assert.doesNotThrow(() => inferboard.requestRate({ window: '5m' }));
  assert.doesNotThrow(() => inferboard.latency({ quantiles: [0.5, 0.99], filters: [{ label: 'model', value: 'resnet50_trt' }] }));
  assert.doesNotThrow(() =>
    inferboard.latency({ quantiles: [0.5, 0.99], profile: inferboard.createTritonProfile({ summaryQuantiles: [0.5, 0.99] }) }),
  );
  assert.doesNotThrow(() => inferboard.vllmDashboard({ folder: 'LLM', gpu: inferboard.dcgmMetrics }));
  // The LLM set's own thresholds, beside those every set has.
  const llm = inferboard.llmAlerts({ thresholds: { kvCacheUsage: 0.8, errorRatio: 0.02 } });
  const expression = (name: string) => llm.rules.find((rule) => 'alert' in rule && rule.alert === name)?.expr ?? '';
  assert.match(expression('VllmKvCacheNearFull'), / > \(0\.8\)$/);
  assert.match(expression('VllmHighErrorRate'), / > \(0\.02\)$/);
  assert.doesNotThrow(() =>
    inferboard.dashboard({ uid: 'u', title: 'T', links: [inferboard.dashboardsLink('llm')], panels: [inferboard.requestRate()] }),
  );
});
