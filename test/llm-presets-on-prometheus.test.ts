/**
 * Every target of every LLM preset (vLLM, SGLang, TGI, Triton with TensorRT-LLM) and of the DCGM
 * GPU dashboard, evaluated by a real Prometheus engine on series with each server's real names,
 * labels and bucket bounds (test/support/llmWorlds.ts). The numbers asserted follow from the
 * worlds' rates: sums, ratios, and the quantile `histogram_quantile` defines. The recorded
 * variants read the same numbers through the recording rules.
 */
import assert from 'node:assert/strict';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  dcgmMetrics,
  expandVariables,
  gpuDashboard,
  recordingRules,
  ruleFile,
  sglangDashboard,
  sglangMetrics,
  tensorrtLlmDashboard,
  tensorrtLlmMetrics,
  tgiDashboard,
  tgiMetrics,
  vllmDashboard,
  vllmMetrics,
  type MetricsProfile,
} from '../src/index.js';
import { sglangBuckets, tgiDurationBuckets, vllmBuckets } from '../queries/index.js';
import { validatePromql } from '../src/buildTool.js';
import { allPanels } from '../src/dashboards/walk.js';
import { dashboardCases, type Expected } from './support/dashboardCases.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { combined, countOf, histogramQuantile, type Observed } from './support/histograms.js';
import {
  dcgmGpus,
  dcgmSeries,
  finishedRate,
  sglangSeries,
  sglangServers,
  tensorrtLlmSeries,
  tensorrtLlmServer,
  tgiRouter,
  tgiSeries,
  vllmEngines,
  vllmEngineSeries,
  vllmSeries,
  type DcgmGpu,
  type VllmEngine,
} from './support/llmWorlds.js';
import { evaluate, exprTests, runTestFile, type Case, type InputSeries, type Sample } from './support/promtool.js';
import { asInput, sampled, type WorldSeries } from './support/world.js';
import { panelRefresh, views } from './support/grafanaView.js';
import { durationSeconds } from '../queries/index.js';

const inputOf = (world: readonly WorldSeries[]): InputSeries[] => world.map((one) => asInput(one));

function assertEvaluates(engine: Engine, series: readonly WorldSeries[], cases: readonly Case[], rules?: string): void {
  const { status, output } = evaluate(engine, inputOf(series), cases, rules);
  assert.equal(status, 0, `promtool found wrong numbers:\n${output}`);
}

/** The dashboard, its recorded variant and the recording rules: the same numbers both ways. */
function assertBothWays(
  engine: Engine,
  build: (recorded: boolean) => grafana.Dashboard,
  profile: MetricsProfile,
  series: readonly WorldSeries[],
  expected: Expected,
): void {
  const direct = build(false);
  validatePromql(direct, profile.id);
  assertEvaluates(engine, series, dashboardCases(direct, expected));
  const recorded = build(true);
  const cases = dashboardCases(recorded, expected);
  assert.ok(
    cases.some((item) => /:rate1m\b/.test(item.expr)),
    'the recorded variant reads recorded series',
  );
  assertEvaluates(engine, series, cases, ruleFile([recordingRules({ profile })]));
}

/** One sample per group: `groupOf` names each item's group (its labels), `value` reads each group's items. */
function perGroup<T>(
  items: readonly T[],
  groupOf: (item: T) => Record<string, string>,
  value: (group: readonly T[]) => number,
): Sample[] {
  const groups = new Map<string, { labels: Record<string, string>; items: T[] }>();
  for (const item of items) {
    const labels = groupOf(item);
    const key = JSON.stringify(labels);
    const group = groups.get(key) ?? { labels, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  // A ratio or quantile of nothing (an idle model) has no value: the panels guard it away.
  return [...groups.values()].flatMap(({ labels, items: members }) => {
    const result = value(members);
    return Number.isNaN(result) ? [] : [{ labels, value: result }];
  });
}

const sum = <T>(items: readonly T[], read: (item: T) => number) => items.reduce((total, item) => total + read(item), 0);

/** A histogram's cases: P50/P95/P99 (or those given), and the mean from `_sum` / `_count`, per group. */
function latencyCases<T>(
  panel: string,
  items: readonly T[],
  groupOf: (item: T) => Record<string, string>,
  bounds: readonly number[],
  read: (item: T) => { readonly buckets: Observed; readonly sum: number },
  quantiles: readonly number[] = [0.5, 0.95, 0.99],
): Expected {
  const expected: Expected = {};
  quantiles.forEach((quantile, index) => {
    expected[`${panel} / ${'ABC'[index]}`] = perGroup(items, groupOf, (group) =>
      histogramQuantile(quantile, bounds, combined(...group.map((item) => read(item).buckets))),
    );
  });
  expected[`${panel} / AVG`] = perGroup(
    items,
    groupOf,
    (group) => sum(group, (item) => read(item).sum) / sum(group, (item) => countOf(read(item).buckets)),
  );
  return expected;
}

const byModel = (source: { readonly model: string }) => ({ model_name: source.model });
const all = () => ({});

/** The GPUs a dashboard over vLLM shows: held by a serving pod, or on a host a server without a pod runs on. */
function servingGpus(engines: readonly VllmEngine[] = vllmEngines): DcgmGpu[] {
  const pods = new Set(engines.flatMap((source) => (source.pod ? [`${source.pod.namespace}/${source.pod.pod}`] : [])));
  const hosts = new Set(engines.map((source) => source.instance.replace(/:\d+$/, '')));
  return dcgmGpus.filter((gpu) => (gpu.pod && pods.has(`${gpu.pod.namespace}/${gpu.pod.pod}`)) || hosts.has(gpu.host));
}

/** A GPU's per-GPU labels: host (either spelling, read as `hostname`), UUID and MIG instance. */
const gpuLabels = (gpu: DcgmGpu) => ({ hostname: gpu.host, UUID: gpu.uuid, ...(gpu.mig ? { GPU_I_ID: gpu.mig } : {}) });
const mebibyte = 1024 * 1024;

/** Each GPU's own figure. */
const eachGpu = (gpus: readonly DcgmGpu[], value: (gpu: DcgmGpu) => number): Sample[] =>
  gpus.map((gpu) => ({ labels: gpuLabels(gpu), value: value(gpu) }));

/** The per-GPU panels' numbers over `gpus`: memory, power, temperature, XID errors. */
function perGpuCases(gpus: readonly DcgmGpu[]): Expected {
  return {
    'GPU memory usage / A': eachGpu(gpus, (gpu) => gpu.usedMiB / (gpu.usedMiB + gpu.freeMiB)),
    'GPU power / A': eachGpu(gpus, (gpu) => gpu.watts),
    'GPU temperature / A': eachGpu(gpus, (gpu) => gpu.celsius),
    'GPU XID errors / A': gpus
      .filter((gpu) => gpu.xid !== 0)
      .map((gpu) => ({ labels: { ...gpuLabels(gpu), err_msg: 'GPU has fallen off the bus' }, value: gpu.xid })),
  };
}

const meanUtilization = (gpus: readonly DcgmGpu[]) => sum(gpus, (gpu) => gpu.utilization / 100) / gpus.length;

/** What each target of the vLLM dashboard with DCGM's GPUs shows: the same at every view, the rates being constant. */
function vllmExpected(engines: readonly VllmEngine[] = vllmEngines): Expected {
  const finished = (reason: keyof VllmEngine['finished']) => (group: readonly VllmEngine[]) =>
    sum(group, (source) => source.finished[reason]);
  return {
    'Request rate / A': perGroup(engines, byModel, (group) => finished('stop')(group) + finished('length')(group)),
    'Request rate / B': perGroup(engines, byModel, finished('error')),
    'Request rate / C': perGroup(engines, byModel, finished('abort')),
    'Error rate / A': perGroup(engines, byModel, (group) => finished('error')(group) / sum(group, finishedRate)),
    'Finish reasons / A': (['stop', 'length', 'abort', 'error'] as const).map((reason) => ({
      labels: { finished_reason: reason },
      value: finished(reason)(engines),
    })),
    'Token throughput / A': perGroup(engines, byModel, (group) => sum(group, (source) => source.promptTokens)),
    'Token throughput / B': perGroup(engines, byModel, (group) => sum(group, (source) => source.generationTokens)),
    ...latencyCases(
      'Time to first token P50 / P95 / P99',
      engines,
      byModel,
      vllmBuckets.timeToFirstToken,
      (s) => s.timeToFirstToken,
    ),
    // qwen's older vLLM exports vllm:time_per_output_token_seconds: the panel reads it where the new name is missing.
    ...latencyCases('Inter-token latency P50 / P95 / P99', engines, byModel, vllmBuckets.interToken, (s) => s.interToken),
    ...latencyCases('End-to-end latency P50 / P95 / P99', engines, byModel, vllmBuckets.requestPhase, (s) => s.endToEnd),
    ...latencyCases('Request queue time P50 / P95', engines, byModel, vllmBuckets.requestPhase, (s) => s.queue, [0.5, 0.95]),
    'Prefill and decode time / A':
      latencyCases('p', engines, byModel, vllmBuckets.requestPhase, (s) => s.prefill)['p / AVG'] ?? [],
    'Prefill and decode time / B':
      latencyCases('p', engines, byModel, vllmBuckets.requestPhase, (s) => s.prefill, [0.95])['p / A'] ?? [],
    'Prefill and decode time / C':
      latencyCases('d', engines, byModel, vllmBuckets.requestPhase, (s) => s.decode)['d / AVG'] ?? [],
    'Prefill and decode time / D':
      latencyCases('d', engines, byModel, vllmBuckets.requestPhase, (s) => s.decode, [0.95])['d / A'] ?? [],
    'Running and waiting requests / A': perGroup(engines, byModel, (group) => sum(group, (source) => source.running)),
    'Running and waiting requests / B': perGroup(engines, byModel, (group) => sum(group, (source) => source.waiting)),
    // The fullest engine of each model and instance; qwen's reads vllm:gpu_cache_usage_perc.
    'KV cache usage / A': perGroup(
      engines,
      (source) => ({ model_name: source.model, instance: source.instance }),
      (group) => Math.max(...group.map((source) => source.kvCache)),
    ),
    'Preemptions / A': perGroup(engines, byModel, (group) => sum(group, (source) => source.preemptions)),
    'Prefix cache hit rate / A': perGroup(
      engines,
      byModel,
      (group) => sum(group, (source) => source.prefixHits) / sum(group, (source) => source.prefixQueries),
    ),
    // Joined to the serving pods (llama-0, qwen-0) and to node-b, where llama runs without a pod.
    // No value where no GPU serves the models (an idle model's pod holds none).
    'GPU utilization / A': servingGpus(engines).length > 0 ? [{ labels: {}, value: meanUtilization(servingGpus(engines)) }] : [],
    ...perGpuCases(servingGpus(engines)),
  };
}

testOnEngines('every query of the vLLM dashboard, its GPU rows from DCGM included, reads the known numbers', (engine) => {
  const expected = vllmExpected();
  assert.deepEqual(
    servingGpus().map((gpu) => `${gpu.uuid}${gpu.mig ? `/${gpu.mig}` : ''}`),
    ['GPU-A0', 'GPU-B0', 'GPU-B1/1', 'GPU-B1/2', 'GPU-C0'],
    'the world holds serving GPUs joined by pod and by host, and GPUs of neither',
  );
  assertBothWays(
    engine,
    (recorded) => vllmDashboard({ gpu: dcgmMetrics, recorded }).build(),
    vllmMetrics,
    [...vllmSeries(engine), ...dcgmSeries()],
    expected,
  );
});

testOnEngines(
  'every query of the SGLang dashboard reads the known numbers; every rank reporting one state counts once',
  (engine) => {
    const servers = sglangServers;
    const expected: Expected = {
      'Request rate / A': perGroup(servers, byModel, (group) => sum(group, (s) => s.requests - s.aborted)),
      'Request rate / B': perGroup(servers, byModel, (group) => sum(group, (s) => s.aborted)),
      'Error rate / A': perGroup(servers, byModel, (group) => sum(group, (s) => s.aborted) / sum(group, (s) => s.requests)),
      'Token throughput / A': perGroup(servers, byModel, (group) => sum(group, (s) => s.promptTokens)),
      'Token throughput / B': perGroup(servers, byModel, (group) => sum(group, (s) => s.generationTokens)),
      ...latencyCases(
        'Time to first token P50 / P95 / P99',
        servers,
        byModel,
        sglangBuckets.timeToFirstToken,
        (s) => s.timeToFirstToken,
      ),
      // Seconds per output token: the histogram counts tokens.
      ...latencyCases('Inter-token latency P50 / P95 / P99', servers, byModel, sglangBuckets.interToken, (s) => s.interToken),
      ...latencyCases('End-to-end latency P50 / P95 / P99', servers, byModel, sglangBuckets.endToEnd, (s) => s.endToEnd),
      ...latencyCases('Request queue time P50 / P95', servers, byModel, sglangBuckets.queueTime, (s) => s.queue, [0.5, 0.95]),
      'Running and waiting requests / A': perGroup(servers, byModel, (group) => sum(group, (s) => s.running)),
      'Running and waiting requests / B': perGroup(servers, byModel, (group) => sum(group, (s) => s.queued)),
      'KV cache usage / A': perGroup(
        servers,
        (s) => ({ model_name: s.model, instance: s.instance }),
        (group) => Math.max(...group.map((s) => s.tokenUsage)),
      ),
      'Preemptions / A': perGroup(servers, byModel, (group) => sum(group, (s) => s.retractions)),
      'Prefix cache hit rate / A': perGroup(
        servers,
        byModel,
        (group) => sum(group, (s) => s.cachedTokens) / sum(group, (s) => s.promptTokens),
      ),
    };
    assertBothWays(engine, (recorded) => sglangDashboard({ recorded }).build(), sglangMetrics, sglangSeries(engine), expected);
  },
);

testOnEngines(
  'every query of the TGI dashboard reads the known numbers; its time to first token is the approximation it says',
  (engine) => {
    const r = tgiRouter;
    const one = (value: number): Sample[] => [{ labels: {}, value }];
    const mean = (data: { buckets: Observed; sum: number }) => data.sum / countOf(data.buckets);
    const failures = r.failures.validation + r.failures.incomplete;
    const expected: Expected = {
      'Request rate / A': one(r.success),
      'Request rate / B': one(failures),
      'Error rate / A': one(failures / (r.success + failures)),
      'Token throughput / A': one(r.inputTokens),
      'Token throughput / B': one(r.generatedTokens),
      'Time to first token (approximation) / AVG': one(mean(r.validation) + mean(r.queue) + mean(r.prefillSteps)),
      ...latencyCases('Inter-token latency P50 / P95 / P99', [r], all, tgiDurationBuckets, (s) => s.meanTimePerToken),
      ...latencyCases('End-to-end latency P50 / P95 / P99', [r], all, tgiDurationBuckets, (s) => s.duration),
      ...latencyCases('Request queue time P50 / P95', [r], all, tgiDurationBuckets, (s) => s.queue, [0.5, 0.95]),
      'Prefill and decode time / A': one(mean(r.prefillSteps)),
      'Prefill and decode time / B': one(histogramQuantile(0.95, tgiDurationBuckets, r.prefillSteps.buckets)),
      'Prefill and decode time / C': one(mean(r.decodeSteps)),
      'Prefill and decode time / D': one(histogramQuantile(0.95, tgiDurationBuckets, r.decodeSteps.buckets)),
      'Running and waiting requests / A': one(r.running),
      'Running and waiting requests / B': one(r.queued),
    };
    const json = tgiDashboard().build();
    const approximation = allPanels(json).find((panel) => panel.title === 'Time to first token (approximation)');
    assert.match(approximation?.description ?? '', /approximation of its mean, validation \+ queue time \+ one prefill step/);
    assertBothWays(engine, (recorded) => tgiDashboard({ recorded }).build(), tgiMetrics, tgiSeries(engine), expected);
  },
);

testOnEngines(
  'every query of the Triton TensorRT-LLM dashboard reads the known numbers: requests on the ensemble, state from the engine',
  (engine) => {
    const s = tensorrtLlmServer;
    const one = (value: number): Sample[] => [{ labels: {}, value }];
    const expected: Expected = {
      'Request rate / A': one(s.success),
      'Request rate / B': one(s.canceled),
      'Error rate / A': one(s.canceled / (s.success + s.canceled)),
      'Token throughput / A': one(s.inputTokens),
      'Token throughput / B': one(s.outputTokens),
      'End-to-end latency average / AVG': one(s.ensembleDuration / 1e6),
      'Request queue time average / AVG': one(s.engineQueue / 1e6),
      'Running and waiting requests / A': one(s.scheduled),
      'Running and waiting requests / B': one(s.waiting),
      'KV cache usage / A': [{ labels: { instance: s.instance }, value: s.kvFraction }],
      'Paused requests / A': one(s.paused),
      'GPU utilization / A': one(sum(s.gpus, (gpu) => gpu.utilization) / s.gpus.length),
      'GPU memory usage / A': s.gpus.map((gpu) => ({
        labels: { instance: s.instance, gpu_uuid: gpu.uuid },
        value: gpu.usedBytes / gpu.totalBytes,
      })),
    };
    assertBothWays(
      engine,
      (recorded) => tensorrtLlmDashboard({ recorded }).build(),
      tensorrtLlmMetrics,
      tensorrtLlmSeries(engine),
      expected,
    );
  },
);

testOnEngines(
  'every query of the DCGM GPU dashboard reads the known numbers per GPU, MIG instance, host and pod, under both host spellings',
  (engine) => {
    const gpus = dcgmGpus;
    const expected: Expected = {
      ...perGpuCases(gpus),
      'GPU utilization per GPU / A': eachGpu(gpus, (gpu) => gpu.utilization / 100),
      'GPU utilization per host / A': perGroup(gpus, (gpu) => ({ hostname: gpu.host }), meanUtilization),
      'GPU memory used per pod / A': perGroup(
        gpus.filter((gpu) => gpu.pod),
        (gpu) => ({ namespace: gpu.pod?.namespace ?? '', pod: gpu.pod?.pod ?? '' }),
        (group) => sum(group, (gpu) => gpu.usedMiB * mebibyte),
      ),
    };
    const json = gpuDashboard().build();
    validatePromql(json, 'gpu preset');
    assertEvaluates(engine, dcgmSeries(), dashboardCases(json, expected));
  },
);

/**
 * How long the matrix's worlds run: longer than the widest `$__rate_interval` of any view (31
 * minutes at 30 days with 60 s scrapes) plus the recording rules' window (4 minutes there), short
 * enough for promtool's cap on the samples one query holds (10,000), which the top-series ranking
 * over every bucket series reaches at the 6-hour view with 5 s scrapes; for the same reason the
 * vLLM fleet is viewed a server at a time.
 */
const matrixSeconds = 2160;
const matrixWorlds = [
  { name: 'llama on a Kubernetes pod', engines: vllmEngines.filter((source) => source.model === 'llama' && source.pod) },
  {
    name: 'llama on a host with two data-parallel engines',
    engines: vllmEngines.filter((source) => source.model === 'llama' && !source.pod),
  },
  { name: 'qwen on an older vLLM', engines: vllmEngines.filter((source) => source.model === 'qwen') },
  { name: 'an idle mistral', engines: vllmEngines.filter((source) => source.model === 'mistral') },
];

for (const scrapeInterval of ['5s', '15s', '60s']) {
  testOnEngines(
    `every vLLM panel reads the true number at every view, direct and recorded, with ${scrapeInterval} scrapes`,
    (engine) => {
      const scrapeSeconds = durationSeconds(scrapeInterval);
      const rules = ruleFile([recordingRules({ profile: vllmMetrics, scrapeInterval })]);
      const dashboards = [false, true].map((recorded) => vllmDashboard({ gpu: dcgmMetrics, scrapeInterval, recorded }).build());
      for (const world of matrixWorlds) {
        const expected = vllmExpected(world.engines);
        const cases: Case[] = [];
        for (const json of dashboards) {
          for (const view of views) {
            for (const panel of allPanels(json)) {
              // Grafana's step and $__rate_interval for this panel and view.
              const refresh = panelRefresh(view, scrapeInterval, (panel as { interval?: string }).interval);
              for (const target of (panel.targets ?? []) as unknown as { refId: string; expr: string }[]) {
                const name = `${panel.title} / ${target.refId}`;
                const samples = expected[name];
                assert.ok(samples, `no expected numbers for "${name}"`);
                cases.push({
                  name: `${view.name}: ${name}`,
                  expr: expandVariables(target.expr, json, refresh),
                  expected: samples,
                });
              }
            }
          }
        }
        const series = [...world.engines.flatMap((source) => vllmEngineSeries(engine, source)), ...dcgmSeries()].map((one) =>
          sampled(one, scrapeSeconds, undefined, matrixSeconds),
        );
        const promqlTests = cases.flatMap((item) => exprTests({ ...item, at: `${matrixSeconds}s` }, item.expr));
        const run = runTestFile(
          engine,
          [{ interval: scrapeInterval, input_series: series, promql_expr_test: promqlTests }],
          rules,
          scrapeInterval,
        );
        assert.equal(run.status, 0, `${world.name}: wrong numbers:\n${run.output.slice(0, 20_000)}`);
      }
    },
  );
}
