/**
 * The LLM panels and presets as built: callable with no arguments for vLLM, a `profile` for the
 * others, an error naming server and metric where a server lacks one (or an approximation the
 * panel labels as such), template variables that follow each server's labels, and the design
 * card's panels on every server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import * as panels from '../panels/index.js';
import {
  dcgmMetrics,
  gpuDashboard,
  sglangDashboard,
  sglangMetrics,
  tensorrtLlmDashboard,
  tensorrtLlmMetrics,
  tgiDashboard,
  tgiMetrics,
  variablesFor,
  vllmDashboard,
  vllmMetrics,
  type MetricsProfile,
} from '../src/index.js';
import { allPanels } from '../src/dashboards/walk.js';

type Built = grafana.Panel & { targets: { expr: string; refId: string; legendFormat?: string }[] };
const build = (builder: { build(): unknown }) => builder.build() as Built;

const llmPanels = {
  timeToFirstToken: panels.timeToFirstToken,
  interTokenLatency: panels.interTokenLatency,
  endToEndLatency: panels.endToEndLatency,
  requestQueueTime: panels.requestQueueTime,
  prefillDecodeTime: panels.prefillDecodeTime,
  runningRequests: panels.runningRequests,
  tokenThroughput: panels.tokenThroughput,
  kvCacheUsage: panels.kvCacheUsage,
  preemptions: panels.preemptions,
  finishReasons: panels.finishReasons,
  prefixCacheHitRate: panels.prefixCacheHitRate,
};

test('every LLM panel builds with no arguments, for vLLM, and says what good looks like', () => {
  for (const [name, panel] of Object.entries(llmPanels)) {
    const built = build(panel());
    assert.ok(built.targets.length > 0, name);
    for (const target of built.targets) assert.match(target.expr, /vllm:/, `${name} reads vLLM's series`);
    assert.match(built.description ?? '', /Good:/, `${name} says what good looks like`);
  }
});

test("a panel over a server that lacks its metric throws naming server and metric; TGI's first token is a labelled approximation", () => {
  assert.throws(
    () => panels.kvCacheUsage({ profile: tgiMetrics }),
    /profile "tgi" \(Hugging Face TGI\) has no KV cache usage metric/,
  );
  assert.throws(() => panels.preemptions({ profile: tgiMetrics }), /profile "tgi" \(Hugging Face TGI\) has no preemption metric/);
  assert.throws(() => panels.prefixCacheHitRate({ profile: tgiMetrics }), /has no prefix cache metric/);
  assert.throws(
    () => panels.finishReasons({ profile: sglangMetrics }),
    /profile "sglang" \(SGLang\) has no finish reason metric/,
  );
  assert.throws(
    () => panels.timeToFirstToken({ profile: tensorrtLlmMetrics }),
    /profile "tensorrt-llm" \(Triton TensorRT-LLM\) has no time to first token \(first response\) metric/,
  );
  assert.throws(() => panels.interTokenLatency({ profile: tensorrtLlmMetrics }), /has no inter-token latency metric/);
  const approximation = build(panels.timeToFirstToken({ profile: tgiMetrics }));
  assert.equal(approximation.title, 'Time to first token (approximation)');
  assert.deepEqual(
    approximation.targets.map((target) => target.legendFormat),
    ['≈ mean'],
  );
  assert.match(
    approximation.description ?? '',
    /does not measure it: this is an approximation of its mean, validation \+ queue time \+ one prefill step/,
  );
  assert.throws(
    () => panels.timeToFirstToken({ profile: tgiMetrics, quantiles: [0.95] }),
    /panel "Time to first token": Hugging Face TGI has no quantiles of it, only an approximation of its mean/,
  );
  // Without quantiles the mean only, said so in the title and description.
  const mean = build(panels.endToEndLatency({ profile: tensorrtLlmMetrics }));
  assert.equal(mean.title, 'End-to-end latency average');
  assert.match(mean.description ?? '', /exports no quantiles of it: the mean only/);
  assert.throws(
    () => panels.endToEndLatency({ profile: tensorrtLlmMetrics, quantiles: [0.5] }),
    /has no request latency quantile metric/,
  );
});

test("the design card's panels work on every server that has their metric; the batch is the running requests where there are no executions", () => {
  const servers: readonly MetricsProfile[] = [vllmMetrics, sglangMetrics, tgiMetrics, tensorrtLlmMetrics];
  for (const profile of servers) {
    for (const panel of [panels.requestRate, panels.errorRate, panels.batchSize, panels.queueTime, panels.computeTime]) {
      if (panel === panels.computeTime && !profile.computeTime) continue;
      assert.ok(build(panel({ profile })).targets.length > 0, `${profile.id}`);
    }
    const batch = build(panels.batchSize({ profile }));
    assert.equal(batch.title, 'Average batch size (running requests)');
    assert.match(batch.targets[0]?.expr ?? '', /avg_over_time\(/);
  }
  assert.throws(
    () => panels.computeTime({ profile: sglangMetrics }),
    /profile "sglang" \(SGLang\) has no compute infer time metric/,
  );
  assert.throws(() => panels.gpuUtilization({ profile: vllmMetrics }), /profile "vllm" \(vLLM\) has no GPU metric/);
  const fromDcgm = build(panels.gpuUtilization({ profile: dcgmMetrics, servedBy: vllmMetrics }));
  assert.match(fromDcgm.targets[0]?.expr ?? '', /\* \(0\.01\)$/);
  assert.match(fromDcgm.description ?? '', /DCGM_FI_DEV_GPU_UTIL, percent read as a 0-1 ratio/);
  assert.match(fromDcgm.description ?? '', /the GPUs serving the selected vLLM models/);
});

test("template variables follow each server's labels: model_name, engine and ranks where they exist, both host spellings on DCGM", () => {
  const variables = (profile: MetricsProfile) =>
    variablesFor(profile).map((builder) => {
      const variable = builder.build() as { name: string; query?: unknown; regex?: string };
      return [variable.name, variable.query, variable.regex];
    });
  assert.deepEqual(variables(vllmMetrics).slice(1), [
    ['job', 'label_values(vllm:num_requests_running, job)', undefined],
    ['instance', 'label_values(vllm:num_requests_running{job=~"$job"}, instance)', undefined],
    ['model', 'label_values(vllm:num_requests_running{job=~"$job",instance=~"$instance"}, model_name)', undefined],
    [
      'engine',
      'label_values(vllm:num_requests_running{job=~"$job",instance=~"$instance",model_name=~"$model"}, engine)',
      undefined,
    ],
  ]);
  assert.deepEqual(
    variables(sglangMetrics).map(([name]) => name),
    ['datasource', 'job', 'instance', 'model', 'engine_type', 'tp_rank', 'pp_rank'],
  );
  assert.deepEqual(
    variables(tgiMetrics).map(([name]) => name),
    ['datasource', 'job', 'instance'],
  );
  assert.deepEqual(variables(dcgmMetrics).slice(3), [
    [
      'host',
      'query_result(count by (hostname) (label_replace(DCGM_FI_DEV_GPU_UTIL{job=~"$job",instance=~"$instance"}, "hostname", "$1", "Hostname", "(.+)")))',
      '/hostname="([^"]*)"/',
    ],
    ['gpu', 'label_values(DCGM_FI_DEV_GPU_UTIL{job=~"$job",instance=~"$instance"}, UUID)', undefined],
  ]);
  // A tokenizer-side series has no ranks: only scheduler-side ones filter by them.
  const rate = build(panels.requestRate({ profile: sglangMetrics })).targets[0]?.expr ?? '';
  assert.doesNotMatch(rate, /tp_rank/);
  assert.match(build(panels.runningRequests({ profile: sglangMetrics })).targets[0]?.expr ?? '', /tp_rank=~"\$tp_rank"/);
});

test('the LLM presets take the options of the others, add GPU rows from DCGM on request, and show only what the server exports', () => {
  const titles = (json: grafana.Dashboard) => allPanels(json).map((panel) => panel.title);
  const plain = vllmDashboard().build();
  assert.ok(!titles(plain).some((title) => title?.startsWith('GPU')), 'no GPU rows without gpu');
  const withGpus = vllmDashboard({ gpu: dcgmMetrics, folder: 'LLM', recorded: true, scrapeInterval: '30s' });
  assert.equal(withGpus.folder, 'LLM');
  const json = withGpus.build();
  assert.deepEqual(
    titles(json).filter((title) => title?.startsWith('GPU')),
    ['GPU', 'GPU utilization', 'GPU memory usage', 'GPU power', 'GPU temperature', 'GPU XID errors'],
  );
  const recordedTarget = allPanels(json).find((panel) => panel.title === 'Token throughput')?.targets?.[0] as { expr: string };
  assert.match(recordedTarget.expr, /job_instance_model_name_engine:vllm:prompt_tokens_total:rate2m/);
  assert.deepEqual(
    titles(tgiDashboard().build()).filter((title) => /KV|Preempt|Prefix|Finish/.test(title ?? '')),
    [],
    'TGI reports no KV cache, preemptions, prefix cache or finish reasons',
  );
  assert.ok(titles(sglangDashboard().build()).includes('Preemptions'));
  assert.ok(titles(tensorrtLlmDashboard().build()).includes('Paused requests'));
  assert.deepEqual(
    gpuDashboard()
      .build()
      .templating?.list?.map((variable) => variable.name),
    ['datasource', 'job', 'instance', 'host', 'gpu'],
  );
});
