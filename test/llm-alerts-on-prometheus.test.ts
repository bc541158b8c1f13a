/**
 * The LLM and GPU alert sets, loaded by a real Prometheus rule engine: `promtool check rules`
 * on the generated file, and `promtool test rules` cases where each alert fires (labels and
 * annotations as an on-call engineer reads them) and healthy worlds where none does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { gpuAlerts, llmAlerts, ruleFile, type RuleGroup } from '../alerts/index.js';
import { sglangMetrics, tensorrtLlmMetrics, tgiMetrics, vllmBuckets } from '../queries/index.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { histogramSeries, observed, pythonBound } from './support/histograms.js';
import { counter as counterFor, gauge as gaugeFor, promtool, type InputSeries } from './support/promtool.js';
import { asInput } from './support/world.js';

// 25 minutes of samples: alerts with `for: 15m` need the condition to hold that long.
const steps = 100;
const counter = (name: string, labels: Record<string, string>, perSecond: number) => counterFor(name, labels, perSecond, steps);
const gauge = (name: string, labels: Record<string, string>, value: number) => gaugeFor(name, labels, value, steps);

const groups: RuleGroup[] = [
  llmAlerts(),
  llmAlerts({ profile: sglangMetrics }),
  llmAlerts({ profile: tgiMetrics }),
  llmAlerts({ profile: tensorrtLlmMetrics }),
  gpuAlerts(),
];
const names = (group: RuleGroup | undefined) => (group?.rules ?? []).flatMap((rule) => ('alert' in rule ? [rule.alert] : []));

const vllm = { job: 'vllm', instance: 'vllm-1:8000' };
const llama = { ...vllm, model_name: 'llama', engine: '0' };

/** A vLLM server: broken, every LLM alert's condition holds; healthy, none does. */
function vllmWorld(engine: Engine, healthy: boolean): InputSeries[] {
  const finished = healthy ? { stop: 9.9, length: 0, abort: 0.1, error: 0 } : { stop: 6, length: 1, abort: 2, error: 1 };
  // Broken: every first token after 2.5-5 s (P95 4.875 s); healthy: within 0.1 s.
  const firstTokens = observed(vllmBuckets.timeToFirstToken, healthy ? { 0.1: 10 } : { 5: 10 });
  return [
    gauge('up', vllm, 1),
    gauge('up', { ...vllm, instance: 'vllm-2:8000' }, 1),
    ...Object.entries(finished).map(([reason, rate]) =>
      counter('vllm:request_success_total', { ...llama, finished_reason: reason }, rate),
    ),
    ...histogramSeries(
      engine,
      'vllm:time_to_first_token_seconds',
      llama,
      vllmBuckets.timeToFirstToken,
      pythonBound,
      firstTokens,
      10,
    ).map((one) => asInput(one, steps)),
    gauge('vllm:kv_cache_usage_perc', llama, healthy ? 0.5 : 0.95),
    // Broken: 20 waiting at start, one more every scrape.
    { series: gauge('vllm:num_requests_waiting', llama, 0).series, values: healthy ? `2+0x${steps}` : `20+1x${steps}` },
    counter('vllm:num_preemptions_total', llama, healthy ? 0 : 0.2),
  ];
}

const triton = { job: 'triton', instance: 'triton-llm:8002' };
const engineLabels = { ...triton, model: 'tensorrt_llm', version: '1' };

function tensorrtLlmWorld(healthy: boolean): InputSeries[] {
  return [
    gauge('up', triton, 1),
    gauge('up', { ...triton, instance: 'triton-llm-2:8002' }, 1),
    counter('nv_inference_request_success', { ...triton, model: 'ensemble', version: '1' }, 6),
    gauge('nv_trt_llm_kv_cache_block_metrics', { ...engineLabels, kv_cache_block_type: 'fraction' }, 0.3),
    gauge('nv_trt_llm_request_metrics', { ...engineLabels, request_type: 'waiting' }, 0),
    gauge(
      'nv_trt_llm_inflight_batcher_metrics',
      { ...engineLabels, inflight_batcher_specific_metric: 'paused_requests' },
      healthy ? 0 : 3,
    ),
    gauge('nv_gpu_utilization', { ...triton, gpu_uuid: 'GPU-T0' }, 0.5),
    gauge('nv_gpu_memory_used_bytes', { ...triton, gpu_uuid: 'GPU-T0' }, 40),
    gauge('nv_gpu_memory_total_bytes', { ...triton, gpu_uuid: 'GPU-T0' }, 80),
  ];
}

function dcgmWorld(healthy: boolean): InputSeries[] {
  const gpu = { job: 'dcgm-exporter', instance: 'node-a:9400', gpu: '0', UUID: 'GPU-A0', Hostname: 'node-a' };
  return [
    gauge('up', { job: gpu.job, instance: gpu.instance }, 1),
    gauge('up', { job: gpu.job, instance: 'node-b:9400' }, 1),
    gauge('DCGM_FI_DEV_GPU_UTIL', gpu, healthy ? 60 : 95),
    gauge('DCGM_FI_DEV_FB_USED', gpu, healthy ? 40000 : 76000),
    gauge('DCGM_FI_DEV_FB_FREE', gpu, healthy ? 40000 : 4000),
    gauge(
      'DCGM_FI_DEV_XID_ERRORS',
      { ...gpu, err_code: healthy ? '0' : '79', err_msg: healthy ? 'No Error' : 'GPU has fallen off the bus' },
      healthy ? 0 : 79,
    ),
  ];
}

const firing = (alertname: string, labels: Record<string, string>, annotations: Record<string, string>) => ({
  alertname,
  exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }],
});
const quiet = (alertnames: readonly string[]) => alertnames.map((alertname) => ({ alertname, exp_alerts: [] }));

function writeRules(): string {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-llm-alerts-'));
  writeFileSync(join(directory, 'rules.yml'), ruleFile(groups));
  return directory;
}

testOnEngines('the LLM and GPU rule files pass promtool check rules', (engine) => {
  const directory = writeRules();
  const { status, output } = promtool(engine, ['check', 'rules', join(directory, 'rules.yml')]);
  assert.equal(status, 0, output);
  const alerts = groups.reduce((count, group) => count + names(group).length, 0);
  assert.match(output, new RegExp(`SUCCESS: ${alerts} rules found`));
});

testOnEngines(
  'each LLM alert fires in its incident and none fires on a healthy server; GPU alerts from DCGM likewise',
  (engine) => {
    const directory = writeRules();
    const onLlama = { severity: 'warning', model_name: 'llama' };
    const vllmFiring = [
      firing('VllmHighErrorRate', onLlama, {
        summary: 'High error rate on llama',
        description:
          '10% of requests to llama fail (finished with reason "error"; aborted requests are counted apart) (threshold 5 %).',
      }),
      firing('VllmHighAbortRate', onLlama, {
        summary: 'Clients give up on many requests on llama',
        description:
          '20% of requests were aborted (threshold 10 %): clients time out or cancel, often because the server is slow.',
      }),
      firing('VllmSlowTimeToFirstToken', onLlama, {
        summary: 'P95 time to first token above 2 s on llama',
        description: 'P95 time to first token over all instances is 4.875s.',
      }),
      firing(
        'VllmKvCacheNearFull',
        { ...onLlama, instance: 'vllm-1:8000' },
        {
          summary: 'KV cache nearly full on llama on vllm-1:8000',
          description: 'The KV cache is 95% full (threshold 90 %): new requests wait and running ones are preempted.',
        },
      ),
      firing('VllmWaitingQueueGrowing', onLlama, {
        summary: 'Waiting requests keep growing on llama',
        description: '120 requests wait (threshold 10) and the queue has grown for 10 minutes: the server cannot keep up.',
      }),
      firing('VllmRequestsPreempted', onLlama, {
        summary: 'Requests are being preempted on llama',
        description:
          '0.20 preemptions per second for 15 minutes: the KV cache is too small for the load; preempted requests are recomputed.',
      }),
    ];
    const vllmNames = names(groups[0]);
    const vllmQuietInIncident = vllmNames.filter((name) => !vllmFiring.some((item) => item.alertname === name));
    assert.deepEqual(vllmQuietInIncident.sort(), ['VllmFewerHealthyInstances', 'VllmServerDown']);
    const tensorrtLlmNames = names(groups[3]);
    const tensorrtLlmFiring = [
      firing(
        'TensorrtLlmRequestsPreempted',
        { severity: 'warning' },
        {
          summary: 'Requests are being preempted',
          description: '3 requests paused for 15 minutes: the KV cache is too small for the load.',
        },
      ),
    ];
    const gpuLabels = { severity: 'warning', hostname: 'node-a', UUID: 'GPU-A0' };
    const dcgmFiring = [
      firing('DcgmHighGpuUtilization', gpuLabels, {
        summary: 'GPU GPU-A0 on node-a is saturated',
        description: 'GPU utilization is 95% (threshold 90 %).',
      }),
      firing('DcgmGpuMemoryNearFull', gpuLabels, {
        summary: 'GPU GPU-A0 on node-a is nearly out of memory',
        description: 'GPU memory is 95% full (threshold 90 %).',
      }),
      firing(
        'DcgmGpuXidError',
        { ...gpuLabels, err_msg: 'GPU has fallen off the bus' },
        {
          summary: 'GPU GPU-A0 on node-a reported XID 79',
          description:
            "The driver reported XID error 79 (GPU has fallen off the bus). Some XIDs are application faults, others (48, 63, 64, 74, 79, 94, 95) need the GPU drained: look it up in NVIDIA's XID catalog.",
        },
      ),
    ];
    const world = (name: string, series: InputSeries[], alerts: object[]) => ({
      name,
      interval: '15s',
      input_series: series,
      alert_rule_test: alerts.map((alert) => ({ eval_time: '25m', ...alert })),
    });
    const tests = [
      world('vLLM incident', vllmWorld(engine, false), [...vllmFiring, ...quiet(vllmQuietInIncident)]),
      world('healthy vLLM', vllmWorld(engine, true), quiet(vllmNames)),
      world('TensorRT-LLM pausing requests', tensorrtLlmWorld(false), [
        ...tensorrtLlmFiring,
        ...quiet(tensorrtLlmNames.filter((name) => name !== 'TensorrtLlmRequestsPreempted')),
      ]),
      world('healthy TensorRT-LLM', tensorrtLlmWorld(true), quiet(tensorrtLlmNames)),
      world('a failing GPU', dcgmWorld(false), [...dcgmFiring, ...quiet(['DcgmServerDown', 'DcgmFewerHealthyInstances'])]),
      world('healthy GPUs', dcgmWorld(true), quiet(names(groups[4]))),
    ];
    writeFileSync(
      join(directory, 'alerts.test.yml'),
      stringify({ rule_files: ['rules.yml'], evaluation_interval: '15s', tests }, { lineWidth: 0 }),
    );
    const { status, output } = promtool(engine, ['test', 'rules', join(directory, 'alerts.test.yml')]);
    assert.equal(status, 0, output);
  },
);
