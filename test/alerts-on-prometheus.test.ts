/**
 * The default alert sets, loaded by a real Prometheus rule engine: `promtool check rules` on
 * the generated file, and `promtool test rules` cases where each alert fires (with the labels
 * and annotations an on-call engineer reads) and a healthy world where none does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { batcherAlerts, ruleFile, tritonAlerts } from '../alerts/index.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { counter as counterFor, gauge as gaugeFor, promtool, type InputSeries } from './support/promtool.js';

// 25 minutes of samples: alerts with `for: 15m` need the condition to hold that long.
const steps = 100;
const counter = (name: string, labels: Record<string, string>, perSecond: number) => counterFor(name, labels, perSecond, steps);
const gauge = (name: string, labels: Record<string, string>, value: number) => gaugeFor(name, labels, value, steps);

const runbooks = 'https://runbooks.example.com/inference';
const groups = [tritonAlerts({ runbookBaseUrl: runbooks }), batcherAlerts()];

const triton = (labels: Record<string, string>) => ({ job: 'triton', ...labels });
const resnet = triton({ instance: 't1', model: 'resnet50' });

function tritonWorld(healthy: boolean): InputSeries[] {
  return [
    gauge('up', triton({ instance: 't1' }), 1),
    gauge('up', triton({ instance: 't2' }), healthy ? 1 : 0),
    counter('nv_inference_request_success', resnet, 9),
    counter('nv_inference_request_failure', { ...resnet, reason: 'BACKEND' }, healthy ? 0 : 1),
    counter('nv_inference_count', resnet, healthy ? 60 : 10),
    // Healthy: six requests per execution (83 % saved); broken: every request runs alone.
    counter('nv_inference_exec_count', resnet, healthy ? 1.5 : 9),
    gauge('nv_inference_request_summary_us', { ...resnet, quantile: '0.99' }, healthy ? 1_000_000 : 6_000_000),
    gauge('nv_gpu_utilization', triton({ instance: 't1', gpu_uuid: 'GPU-A' }), healthy ? 0.5 : 0.95),
    gauge('nv_gpu_memory_used_bytes', triton({ instance: 't1', gpu_uuid: 'GPU-A' }), healthy ? 40 : 76),
    gauge('nv_gpu_memory_total_bytes', triton({ instance: 't1', gpu_uuid: 'GPU-A' }), 80),
  ];
}

const batcher = (labels: Record<string, string>) => ({ job: 'inference-api', ...labels });

function batcherWorld(engine: Engine, healthy: boolean): InputSeries[] {
  const api = batcher({ instance: 'api-1' });
  return [
    gauge('up', api, 1),
    gauge('up', batcher({ instance: 'api-2' }), healthy ? 1 : 0),
    counter('batcher_requests_total', { ...api, status: 'success' }, 9),
    counter('batcher_requests_total', { ...api, status: 'error' }, healthy ? 0 : 1),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: engine.bound('5') }, healthy ? 10 : 0),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: engine.bound('7') }, 10),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: '+Inf' }, 10),
    counter('batcher_batch_size_sum', api, healthy ? 40 : 10),
    counter('batcher_batch_size_count', api, 10),
  ];
}

const firing = (alertname: string, labels: Record<string, string>, annotations: Record<string, string>) => ({
  alertname,
  exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }],
});
const runbook = (name: string) => ({ runbook_url: `${runbooks}#${name.toLowerCase()}` });
const tritonNames = groups[0]?.rules.map((rule) => rule.alert) ?? [];
const batcherNames = groups[1]?.rules.map((rule) => rule.alert) ?? [];

testOnEngines('the generated rule file passes promtool check rules', (engine) => {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-alerts-'));
  writeFileSync(join(directory, 'rules.yml'), ruleFile(groups));
  const { status, output } = promtool(engine, ['check', 'rules', join(directory, 'rules.yml')]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 12 rules found/);
});

testOnEngines('each default alert fires on a broken world and none fires on a healthy one', (engine) => {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-alerts-'));
  writeFileSync(join(directory, 'rules.yml'), ruleFile(groups));
  const tritonFiring = [
    firing(
      'TritonServerDown',
      { severity: 'critical', job: 'triton', instance: 't2' },
      {
        summary: 'NVIDIA Triton t2 is down',
        description: 'Prometheus cannot scrape t2 (job triton) for 1 minute.',
        ...runbook('TritonServerDown'),
      },
    ),
    firing(
      'TritonFewerHealthyInstances',
      { severity: 'critical' },
      {
        summary: 'Fewer than 2 healthy NVIDIA Triton instances',
        description: 'Only 1 instances of job triton are up; at least 2 are needed.',
        ...runbook('TritonFewerHealthyInstances'),
      },
    ),
    firing(
      'TritonHighErrorRate',
      { severity: 'warning', model: 'resnet50' },
      {
        summary: 'High error rate on resnet50',
        description: '10% of requests to resnet50 fail (threshold 5 %).',
        ...runbook('TritonHighErrorRate'),
      },
    ),
    firing(
      'TritonHighP99Latency',
      { severity: 'warning', model: 'resnet50' },
      {
        summary: 'P99 latency above 5 s on resnet50',
        description: "The slowest instance's P99 (a summary, not aggregatable) is 6s.",
        ...runbook('TritonHighP99Latency'),
      },
    ),
    firing(
      'TritonLowBatchingEfficiency',
      { severity: 'info', model: 'resnet50' },
      {
        summary: 'Low batching efficiency on resnet50',
        description: 'Batching saves only 0% of executions under load; raise max_queue_delay or check max_batch_size.',
        ...runbook('TritonLowBatchingEfficiency'),
      },
    ),
    firing(
      'TritonHighGpuUtilization',
      { severity: 'warning', instance: 't1', gpu_uuid: 'GPU-A' },
      {
        summary: 'GPU GPU-A on t1 is saturated',
        description: 'GPU utilization is 95% (threshold 90 %).',
        ...runbook('TritonHighGpuUtilization'),
      },
    ),
    firing(
      'TritonGpuMemoryNearFull',
      { severity: 'warning', instance: 't1', gpu_uuid: 'GPU-A' },
      {
        summary: 'GPU GPU-A on t1 is nearly out of memory',
        description: 'GPU memory is 95% full (threshold 90 %).',
        ...runbook('TritonGpuMemoryNearFull'),
      },
    ),
  ];
  const batcherFiring = [
    firing(
      'BatcherServerDown',
      { severity: 'critical', job: 'inference-api', instance: 'api-2' },
      {
        summary: 'Dynamic batcher api-2 is down',
        description: 'Prometheus cannot scrape api-2 (job inference-api) for 1 minute.',
      },
    ),
    firing(
      'BatcherFewerHealthyInstances',
      { severity: 'critical' },
      {
        summary: 'Fewer than 2 healthy Dynamic batcher instances',
        description: 'Only 1 instances of job inference-api are up; at least 2 are needed.',
      },
    ),
    firing(
      'BatcherHighErrorRate',
      { severity: 'warning' },
      {
        summary: 'High error rate',
        description: '10% of requests fail (threshold 5 %).',
      },
    ),
    firing(
      'BatcherHighP99Latency',
      { severity: 'warning' },
      {
        summary: 'P99 latency above 5 s',
        description: 'P99 over all instances is 6.98s.',
      },
    ),
    firing(
      'BatcherLowBatchingEfficiency',
      { severity: 'info' },
      {
        summary: 'Low batching efficiency',
        description: 'Batching saves only 0% of executions under load; raise max_queue_delay or check max_batch_size.',
      },
    ),
  ];
  assert.deepEqual(
    tritonFiring.map((item) => item.alertname).sort(),
    [...tritonNames].sort(),
    'a Triton alert has no firing case',
  );
  assert.deepEqual(
    batcherFiring.map((item) => item.alertname).sort(),
    [...batcherNames].sort(),
    'a batcher alert has no firing case',
  );
  const quiet = (names: string[]) => names.map((alertname) => ({ alertname, exp_alerts: [] }));
  const world = (series: InputSeries[], alerts: object[]) => ({
    interval: '15s',
    input_series: series,
    alert_rule_test: alerts.map((alert) => ({ eval_time: '20m', ...alert })),
  });
  writeFileSync(
    join(directory, 'alerts.test.yml'),
    stringify(
      {
        rule_files: ['rules.yml'],
        evaluation_interval: '15s',
        tests: [
          world(tritonWorld(false), tritonFiring),
          world(tritonWorld(true), quiet(tritonNames)),
          world(batcherWorld(engine, false), batcherFiring),
          world(batcherWorld(engine, true), quiet(batcherNames)),
        ],
      },
      { lineWidth: 0 },
    ),
  );
  const { status, output } = promtool(engine, ['test', 'rules', join(directory, 'alerts.test.yml')]);
  assert.equal(status, 0, output);
});

/** A counter at `perSecond` whose process restarts at step `at`: that scrape fails, then it counts from 0 again. */
function restarted(name: string, labels: Record<string, string>, perSecond: number, at: number) {
  const step = perSecond * 15;
  return { series: counter(name, labels, perSecond).series, values: `0+${step}x${at - 1} _ ${step}+${step}x${steps - at - 1}` };
}

testOnEngines('an outage since start-up fires the error alert at 100 %; idle servers and a restart fire nothing', (engine) => {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-alerts-'));
  writeFileSync(join(directory, 'rules.yml'), ruleFile(groups));
  const apis = [batcher({ instance: 'api-1' }), batcher({ instance: 'api-2' })];
  // Every request has failed since start-up: prom-client never created the success series.
  const outage = apis.flatMap((api) => [
    gauge('up', api, 1),
    counter('batcher_requests_total', { ...api, status: 'error' }, 5),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: engine.bound('0.005') }, 5),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: '+Inf' }, 5),
    counter('batcher_batch_size_sum', api, 5),
    counter('batcher_batch_size_count', api, 1),
  ]);
  // Idle: the histograms exist at 0 and the request counter has no series; Triton's model counters sit at 0, its summaries read NaN.
  const idleBatcher = apis.flatMap((api) => [
    gauge('up', api, 1),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: engine.bound('0.005') }, 0),
    counter('batcher_request_latency_seconds_bucket', { ...api, le: '+Inf' }, 0),
    counter('batcher_batch_size_sum', api, 0),
    counter('batcher_batch_size_count', api, 0),
  ]);
  const idleTriton = ['t1', 't2'].flatMap((instance) => {
    const model = triton({ instance, model: 'resnet50' });
    return [
      gauge('up', triton({ instance }), 1),
      counter('nv_inference_request_success', model, 0),
      counter('nv_inference_count', model, 0),
      counter('nv_inference_exec_count', model, 0),
      gauge('nv_inference_request_summary_us', { ...model, quantile: '0.99' }, Number.NaN),
      gauge('nv_gpu_utilization', triton({ instance, gpu_uuid: `GPU-${instance}` }), 0),
      gauge('nv_gpu_memory_used_bytes', triton({ instance, gpu_uuid: `GPU-${instance}` }), 1),
      gauge('nv_gpu_memory_total_bytes', triton({ instance, gpu_uuid: `GPU-${instance}` }), 80),
    ];
  });
  // t1 restarts two minutes before the evaluation, healthy otherwise.
  const restartAt = 75;
  const healthyRestart = ['t1', 't2'].flatMap((instance) => {
    const model = triton({ instance, model: 'resnet50' });
    const count = (name: string, labels: Record<string, string>, perSecond: number) =>
      instance === 't1' ? restarted(name, labels, perSecond, restartAt) : counter(name, labels, perSecond);
    return [
      instance === 't1'
        ? { series: gauge('up', triton({ instance }), 1).series, values: `1+0x${restartAt - 1} 0 1+0x${steps - restartAt - 1}` }
        : gauge('up', triton({ instance }), 1),
      count('nv_inference_request_success', model, 60),
      count('nv_inference_request_failure', { ...model, reason: 'BACKEND' }, 0.5),
      count('nv_inference_count', model, 60),
      count('nv_inference_exec_count', model, 10),
      gauge('nv_inference_request_summary_us', { ...model, quantile: '0.99' }, 200_000),
    ];
  });
  const quiet = (names: string[]) => names.map((alertname) => ({ alertname, exp_alerts: [] }));
  const world = (name: string, series: InputSeries[], alerts: object[]) => ({
    name,
    interval: '15s',
    input_series: series,
    alert_rule_test: alerts.map((alert) => ({ eval_time: '20m', ...alert })),
  });
  const outageFiring = [
    firing(
      'BatcherHighErrorRate',
      { severity: 'warning' },
      { summary: 'High error rate', description: '100% of requests fail (threshold 5 %).' },
    ),
    ...quiet(batcherNames.filter((name) => name !== 'BatcherHighErrorRate')),
  ];
  const tests = [
    world('outage since start-up', outage, outageFiring),
    world('idle batcher', idleBatcher, quiet(batcherNames)),
    world('idle Triton', idleTriton, quiet(tritonNames)),
    world('Triton restart', healthyRestart, quiet(tritonNames)),
  ];
  writeFileSync(
    join(directory, 'incidents.test.yml'),
    stringify({ rule_files: ['rules.yml'], evaluation_interval: '15s', tests }, { lineWidth: 0 }),
  );
  const { status, output } = promtool(engine, ['test', 'rules', join(directory, 'incidents.test.yml')]);
  assert.equal(status, 0, output);
});
