/**
 * What the guides' dashboards show that the presets must too: request rate with successes
 * green and failures red (seed 000), batching efficiency's "great above 70 %" step, the
 * batcher's inference time at P50/P95/P99 (seed 002), and presets filtered by a target label
 * (seed 000's `environment`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  batcherDashboard,
  batchingEfficiency,
  finishReasons,
  requestRate,
  tritonDashboard,
  vllmDashboard,
  gpuDashboard,
  dcgmMetrics,
} from '../src/index.js';
import { allPanels } from '../src/dashboards/walk.js';
import { expressionFacts } from '../src/check/expressionFacts.js';

type Override = {
  matcher: { id: string; options: { pattern: string } };
  properties: { id: string; value: { fixedColor: string } }[];
};

/** The fixed colour Grafana gives a series of this display name, reading the overrides as Grafana's byRegexpOrNames does. */
function colourOf(panel: grafana.Panel, displayName: string): string | undefined {
  let colour: string | undefined;
  for (const override of (panel.fieldConfig?.overrides ?? []) as Override[]) {
    assert.equal(override.matcher.id, 'byRegexpOrNames');
    assert.equal(typeof override.matcher.options, 'object', "Grafana's schema: matcher options are an object");
    const [, source = '', flags = ''] = /^\/(.*)\/([a-z]*)$/.exec(override.matcher.options.pattern) ?? [];
    if (new RegExp(source, flags).test(displayName))
      colour = override.properties.find((property) => property.id === 'color')?.value.fixedColor;
  }
  return colour;
}

const built = (builder: { build(): unknown }) => JSON.parse(JSON.stringify(builder.build())) as grafana.Panel;

test('request rate draws successes green and failures red, per model or summed', () => {
  const panel = built(requestRate());
  const legends = (panel.targets as { legendFormat: string }[]).map((target) => target.legendFormat);
  assert.deepEqual(legends, ['{{model}} success', '{{model}} failure']);
  assert.equal(colourOf(panel, 'resnet50_trt success'), 'green');
  assert.equal(colourOf(panel, 'resnet50_trt failure'), 'red');
  assert.equal(colourOf(panel, 'success'), 'green', 'summed over models (groupBy: [])');
  assert.equal(colourOf(panel, 'failure'), 'red');
  assert.equal(colourOf(panel, 'unsuccessful-model success'), 'green', 'the suffix decides, not a model name');
  assert.equal(colourOf(panel, 'my-failure-model success'), 'green');
  const vllm = built(requestRate({ profile: vllmDashboard().servers[0] }));
  assert.equal(colourOf(vllm, 'llama aborted'), 'orange');
  const reasons = built(finishReasons());
  assert.equal(colourOf(reasons, 'stop'), 'green');
  assert.equal(colourOf(reasons, 'error'), 'red');
});

test('batching efficiency steps: red under 30 %, yellow to 50 %, green above, dark green (great) above 70 %', () => {
  const panel = built(batchingEfficiency());
  assert.deepEqual(panel.fieldConfig?.defaults?.thresholds?.steps, [
    { value: null, color: 'red' },
    { value: 0.3, color: 'yellow' },
    { value: 0.5, color: 'green' },
    { value: 0.7, color: 'dark-green' },
  ]);
  assert.match(panel.description ?? '', /Great: above 70 %/);
});

test("the batcher's inference time shows P50, P95 and P99 of its histogram, and the mean", () => {
  const panel = allPanels(batcherDashboard().build()).find((candidate) => candidate.title?.startsWith('Inference time'))!;
  assert.equal(panel.title, 'Inference time P50 / P95 / P99');
  const exprs = (panel.targets as { expr: string; legendFormat: string }[]).map((target) => [target.legendFormat, target.expr]);
  assert.deepEqual(
    exprs.map(([legend]) => legend),
    ['P50', 'P95', 'P99', 'avg'],
  );
  for (const [, expr] of exprs.slice(0, 3))
    assert.match(expr!, /histogram_quantile\(0\.(5|95|99), .*batcher_inference_time_seconds_bucket/);
});

test('presets take filters: every selector of the server reads only the filtered targets', () => {
  const environment = { label: 'environment', value: 'production' };
  for (const preset of [
    tritonDashboard({ filters: [environment] }),
    vllmDashboard({ filters: [environment], gpu: dcgmMetrics }),
  ]) {
    const json = preset.build();
    let selectors = 0;
    for (const panel of allPanels(json)) {
      for (const target of (panel.targets ?? []) as { expr?: string }[]) {
        for (const use of expressionFacts(target.expr ?? '').selectors) {
          // The DCGM exporter's series carry its own target labels, not the server's.
          if (use.metric.startsWith('DCGM_')) continue;
          selectors += 1;
          assert.ok(
            use.matchers.some((matcher) => matcher.label === 'environment' && matcher.value === 'production'),
            `${json.title}: panel "${panel.title}": ${use.metric} is not filtered`,
          );
        }
      }
    }
    assert.ok(selectors > 20, `${json.title}: ${selectors} selectors`);
  }
  // The GPU dashboard's server is the exporter: its own series are the filtered ones.
  const gpu = gpuDashboard({ filters: [environment] }).build();
  const unfiltered = allPanels(gpu).flatMap((panel) =>
    ((panel.targets ?? []) as { expr?: string }[]).flatMap((target) =>
      expressionFacts(target.expr ?? '')
        .selectors.filter((use) => !use.matchers.some((matcher) => matcher.label === 'environment'))
        .map((use) => `${panel.title}: ${use.metric}`),
    ),
  );
  assert.deepEqual(unfiltered, []);
});
