import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  expandVariables,
  batcherDashboard,
  createBatcherProfile,
  dashboard,
  defaultDatasource,
  requestRate,
  tritonDashboard,
  variablesFor,
  batcherMetrics,
  tritonMetrics,
} from '../src/index.js';

test('Triton dashboards get datasource, job, instance, model and gpu variables, chained, multi-select with All', () => {
  const variables = variablesFor(tritonMetrics).map((variable) => variable.build());
  assert.deepEqual(
    variables.map((variable) => variable.name),
    ['datasource', 'job', 'instance', 'model', 'gpu'],
  );
  const [source, job, instance, model, gpu] = variables as grafana.VariableModel[] & { length: 5 };
  assert.equal(source?.type, 'datasource');
  assert.equal(source?.query, 'prometheus');
  assert.deepEqual(source?.current, { selected: true, text: 'Prometheus', value: defaultDatasource.uid });
  assert.equal(job?.query, 'label_values(nv_inference_request_success, job)');
  assert.equal(instance?.query, 'label_values(nv_inference_request_success{job=~"$job"}, instance)');
  assert.equal(model?.query, 'label_values(nv_inference_request_success{job=~"$job",instance=~"$instance"}, model)');
  assert.equal(gpu?.query, 'label_values(nv_gpu_utilization{job=~"$job",instance=~"$instance"}, gpu_uuid)');
  for (const variable of [job, instance, model, gpu]) {
    assert.equal(variable?.multi, true);
    assert.equal(variable?.includeAll, true);
    assert.equal(variable?.allValue, '(?s:.*)');
    assert.deepEqual(variable?.datasource, { type: 'prometheus', uid: '${datasource}' });
  }
});

test('the batcher has no model or GPU variable unless its metrics carry a model label', () => {
  assert.deepEqual(
    variablesFor(batcherMetrics).map((variable) => variable.build().name),
    ['datasource', 'job', 'instance'],
  );
  // Listed from the queue gauge, which exists from start-up: an idle service's request counter has no series yet.
  assert.equal(variablesFor(batcherMetrics)[1]?.build().query, 'label_values(batcher_queue_size, job)');
  assert.deepEqual(
    variablesFor(createBatcherProfile({ modelLabel: 'model_name' })).map((variable) => variable.build().query),
    [
      'prometheus',
      'label_values(batcher_requests_total, job)',
      'label_values(batcher_requests_total{job=~"$job"}, instance)',
      'label_values(batcher_requests_total{job=~"$job",instance=~"$instance"}, model_name)',
    ],
  );
});

test("dashboards default to the Triton guide's 15 minutes and 5 s refresh, with tags, a link and no id", () => {
  const json = tritonDashboard().build();
  assert.deepEqual(json.time, { from: 'now-15m', to: 'now' });
  assert.equal(json.refresh, '5s');
  assert.deepEqual(json.tags, ['inferboard', 'triton']);
  assert.equal(json.links?.[0]?.type, 'dashboards');
  assert.deepEqual(json.links?.[0]?.tags, ['inferboard']);
  assert.equal('id' in json, false);
  assert.equal(json.uid, 'triton-inference');
  assert.ok((json.schemaVersion ?? 0) >= 39);
});

test('preset options override title, uid, folder and time', () => {
  const definition = batcherDashboard({
    uid: 'api',
    title: 'API',
    folder: 'Team A',
    time: { from: 'now-1h', to: 'now' },
    refresh: '',
  });
  const json = definition.build();
  assert.equal(definition.folder, 'Team A');
  assert.deepEqual([json.uid, json.title, json.time?.from, json.refresh], ['api', 'API', 'now-1h', '']);
});

test('every panel and target queries the $datasource variable', () => {
  const json = tritonDashboard().build();
  for (const item of json.panels ?? []) {
    if (item.type === 'row') continue;
    assert.deepEqual(item.datasource, { type: 'prometheus', uid: '${datasource}' });
    for (const target of item.targets ?? []) assert.deepEqual(target.datasource, item.datasource);
  }
});

test('uids and titles that Grafana rejects are refused', () => {
  assert.throws(() => dashboard({ uid: '', title: 'x', panels: [] }), /uid "" must be 1-40 characters/);
  assert.throws(() => dashboard({ uid: 'a'.repeat(41), title: 'x', panels: [] }), /1-40 characters/);
  assert.throws(() => dashboard({ uid: 'has space', title: 'x', panels: [] }), /must be 1-40 characters/);
  assert.throws(() => dashboard({ uid: 'ok', title: '  ', panels: [requestRate()] }), /title must be 1-5000 characters/);
  assert.throws(() => dashboard({ uid: 'ok', title: 'x'.repeat(5001), panels: [] }), /title must be 1-5000 characters/);
});

test('expandVariables sends what Grafana sends for a refresh: built-in intervals, variables at All unless given', () => {
  const json = tritonDashboard().build();
  const expr = 'sum(rate(x{job=~"$job",model=~"${model}"}[$__rate_interval])) / $__range';
  const refresh = { rateInterval: '1m', range: '1h' };
  assert.equal(expandVariables(expr, json, refresh), 'sum(rate(x{job=~"(?s:.*)",model=~"(?s:.*)"}[1m])) / 1h');
  assert.equal(
    expandVariables(expr, json, { ...refresh, values: { model: 'resnet50' } }),
    'sum(rate(x{job=~"(?s:.*)",model=~"resnet50"}[1m])) / 1h',
  );
  assert.equal(
    expandVariables('up{job=~"[[job]]",model=~"${model:regex}"}', json, refresh),
    'up{job=~"(?s:.*)",model=~"(?s:.*)"}',
  );
  assert.throws(() => expandVariables('up{team="$team"}', json, refresh), /no value for dashboard variable \$team/);
});
