/**
 * Logs and traces beside the metrics (the LLM observability guide): the log panels' LogQL and the
 * trace panel's TraceQL, each parsed with its official grammar; the `$loki` and `$tempo`
 * variables; the presets' Logs and Traces rows; exemplars on histogram quantiles; and the Loki
 * and Tempo datasources the build provisions, linked to each other and to Prometheus.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { GrafanaDatasource } from '@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDatasource';
import * as panels from '../panels/index.js';
import { batcherMetrics, requestLogsQuery, tritonMetrics, vllmMetrics } from '../queries/index.js';
import { batcherDashboard, dashboard, gpuDashboard, tritonDashboard, vllmDashboard } from '../src/index.js';
import { checkLogql, checkTraceql, logQueryFacts } from '../src/check/logql.js';
import { lintDashboard } from '../src/check/lint.js';
import { datasourceEntries } from '../src/build/datasources.js';
import { readTree } from '../src/review/revision.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'inferboard-logs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

type Target = { refId: string; expr?: string; query?: string; datasource?: { type: string; uid: string } } & Record<
  string,
  unknown
>;
type Built = { type: string; title: string; datasource?: { type: string; uid: string }; targets: Target[] } & Record<
  string,
  unknown
>;
const build = (builder: { build(): unknown }) => JSON.parse(JSON.stringify(builder.build())) as Built;
const only = (panel: Built) => {
  assert.equal(panel.targets.length, 1);
  return panel.targets[0]!;
};

test('log panels read $loki with LogQL that parses, filtered by the profile’s stream labels and the dashboard’s variables', () => {
  const triton = build(panels.requestLogs());
  assert.equal(triton.type, 'logs');
  assert.deepEqual(triton.datasource, { type: 'loki', uid: '${loki}' });
  assert.deepEqual(only(triton).datasource, { type: 'loki', uid: '${loki}' });
  assert.equal(only(triton).expr, '{job=~"$job", instance=~"$instance"} | json | model=~"$model"');
  // The batcher has no model label, so its dashboard no $model to filter by.
  assert.equal(only(build(panels.requestLogs({ profile: batcherMetrics }))).expr, '{job=~"$job", instance=~"$instance"} | json');
  assert.equal(
    only(build(panels.requestLogs({ templateVariables: false }))).expr,
    '{job="triton"} | json',
    'without variables, the profile’s job: Loki refuses a selector matching every stream',
  );
  const errors = build(panels.errorLogs({ format: { status: 'outcome', level: 'severity' } }));
  assert.equal(
    only(errors).expr,
    '{job=~"$job", instance=~"$instance"} | json | model=~"$model" | outcome="error" or severity=~"error|fatal|critical"',
  );
  for (const panel of [triton, errors]) assert.equal(checkLogql(only(panel).expr!), undefined);
});

test('filters: a model filter reads the line’s field, the others select streams; values checked and escaped as PromQL filters', () => {
  const filtered = requestLogsQuery({
    filters: [
      { label: 'model', value: 'resnet50_trt' },
      { label: 'cluster', value: 'cost$api' },
      { label: 'region', operator: '=~', value: 'eu|us' },
    ],
  });
  assert.equal(
    filtered,
    '{job=~"$job", instance=~"$instance", cluster=~"cost[$]api", region=~"eu|us"} | json | model=~"$model" | model="resnet50_trt"',
  );
  assert.equal(checkLogql(filtered), undefined);
  // The batcher has no model label, but its lines have the field.
  assert.equal(
    requestLogsQuery({ profile: batcherMetrics, format: { model: 'model_name' }, filters: [{ label: 'model', value: 'demo' }] }),
    '{job=~"$job", instance=~"$instance"} | json | model_name="demo"',
  );
  assert.throws(
    () => requestLogsQuery({ filters: [{ label: 'cluster', operator: '=~', value: '(?<=x)' }] }),
    /^Error: filter cluster=~"\(\?<=x\)" is not a regex Prometheus accepts \(RE2\)/,
  );
  assert.throws(
    () => requestLogsQuery({ profile: batcherMetrics, filters: [{ label: 'gpu', value: 'GPU-0' }] }),
    /profile "batcher" has no gpu label to filter by/,
  );
});

test('log volume counts lines per second by level or status, stacked, without the lines that are not JSON', () => {
  const byLevel = build(panels.logVolume());
  assert.equal(byLevel.type, 'timeseries');
  assert.equal((byLevel.fieldConfig as { defaults: { unit: string } }).defaults.unit, 'cps');
  assert.equal(
    only(byLevel).expr,
    'sum by (level) (rate({job=~"$job", instance=~"$instance"} | json | model=~"$model" | __error__="" [$__auto]))',
  );
  assert.equal(only(byLevel).legendFormat, '{{level}}');
  const byStatus = only(build(panels.logVolume({ by: 'status', profile: batcherMetrics })));
  assert.equal(byStatus.expr, 'sum by (status) (rate({job=~"$job", instance=~"$instance"} | json | __error__="" [$__auto]))');
  for (const target of [only(byLevel), byStatus]) assert.equal(checkLogql(target.expr!), undefined);
});

test('slowest requests: one table row per request over the threshold, from latency_ms, slowest first', () => {
  const panel = build(panels.slowRequests({ thresholdMs: 2500, limit: 5 }));
  assert.equal(panel.type, 'table');
  const target = only(panel);
  assert.equal(
    target.expr,
    'topk(5, max by (request_id, model, trace_id) (max_over_time({job=~"$job", instance=~"$instance"} | json | model=~"$model" | latency_ms > 2500 | unwrap latency_ms | __error__="" [$__range])))',
  );
  assert.equal(target.queryType, 'instant');
  assert.equal(checkLogql(target.expr!), undefined);
  assert.deepEqual(logQueryFacts(target.expr!).groupingLabels, ['request_id', 'model', 'trace_id']);
  assert.deepEqual(
    (panel.transformations as { id: string }[]).map((transformation) => transformation.id),
    ['labelsToFields', 'merge', 'sortBy'],
  );
  // Field names follow the format the logs have.
  const renamed = only(build(panels.slowRequests({ format: { latencyMs: 'duration_ms', requestId: 'id' } }))).expr!;
  assert.match(renamed, /max by \(id, model, trace_id\).*duration_ms > 1000 \| unwrap duration_ms/);
});

test('trace search: TraceQL on $tempo for the job’s slow requests of the selected model, by the server’s span attribute', () => {
  const triton = build(panels.traceSearch());
  assert.equal(triton.type, 'table');
  const target = only(triton);
  assert.deepEqual(target.datasource, { type: 'tempo', uid: '${tempo}' });
  assert.equal(target.queryType, 'traceql');
  assert.equal(target.tableType, 'traces');
  assert.equal(target.limit, 20);
  // Triton's OpenTelemetry spans carry model_name; vLLM's llm_request span gen_ai.response.model.
  assert.equal(target.query, '{ resource.service.name=~"$job" && span.model_name=~"$model" && duration >= 500ms }');
  const vllm = only(build(panels.traceSearch({ profile: vllmMetrics, minDurationMs: 2000, limit: 50 })));
  assert.equal(vllm.query, '{ resource.service.name=~"$job" && span.gen_ai.response.model=~"$model" && duration >= 2s }');
  assert.equal(vllm.limit, 50);
  const batcher = only(build(panels.traceSearch({ profile: batcherMetrics, minDurationMs: 1500 })));
  assert.equal(batcher.query, '{ resource.service.name=~"$job" && duration >= 1500ms }');
  const attribute = only(build(panels.traceSearch({ modelAttribute: 'resource.model' })));
  assert.match(attribute.query!, /resource\.model=~"\$model"/);
  for (const query of [target.query, vllm.query, batcher.query, attribute.query]) assert.equal(checkTraceql(query!), undefined);
  assert.throws(() => panels.traceSearch({ minDurationMs: -1 }), /minimum duration -1 ms is not a duration/);
});

test('a dashboard gets $loki and $tempo datasource variables beside $datasource when its panels query them, and only then', () => {
  const variables = (panelList: { build(): unknown }[]) =>
    (dashboard({ uid: 'v', title: 'V', profile: tritonMetrics, panels: panelList as never }).build().templating?.list ?? []).map(
      (variable) => `${variable.name}:${variable.type}:${(variable as { query?: unknown }).query ?? ''}`,
    );
  assert.deepEqual(
    variables([panels.requestRate()]).filter((name) => name.includes(':datasource:')),
    ['datasource:datasource:prometheus'],
  );
  assert.deepEqual(
    variables([panels.requestRate(), panels.requestLogs()]).filter((name) => name.includes(':datasource:')),
    ['datasource:datasource:prometheus', 'loki:datasource:loki'],
  );
  assert.deepEqual(
    variables([panels.traceSearch(), panels.errorLogs()]).filter((name) => name.includes(':datasource:')),
    ['datasource:datasource:prometheus', 'loki:datasource:loki', 'tempo:datasource:tempo'],
  );
});

test('presets add a Logs row and a Traces row when asked, and check what they are given', () => {
  const rows = (built: { panels?: unknown[] }) =>
    (built.panels as { type: string; title: string }[]).reduce<string[][]>((list, panel) => {
      if (panel.type === 'row') list.push([panel.title]);
      else list.at(-1)?.push(panel.title);
      return list;
    }, []);
  const triton = rows(tritonDashboard({ logs: true, traces: true }).build());
  assert.deepEqual(triton.slice(-2), [
    ['Logs', 'Log volume', 'Slowest requests', 'Request logs', 'Error logs'],
    ['Traces', 'Slow traces'],
  ]);
  assert.ok(!rows(tritonDashboard().build()).some(([title]) => title === 'Logs' || title === 'Traces'), 'none by default');
  assert.deepEqual(
    rows(batcherDashboard({ traces: true }).build())
      .map(([title]) => title)
      .slice(-2),
    ['Timing', 'Traces'],
  );
  const vllm = vllmDashboard({
    logs: { thresholdMs: 3000, format: { requestId: 'id' } },
    traces: { minDurationMs: 5000 },
  }).build();
  const targets = (vllm.panels as Built[]).flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? target.query ?? ''),
  );
  assert.ok(targets.some((expr) => expr.includes('max by (id, model, trace_id)') && expr.includes('latency_ms > 3000')));
  assert.ok(targets.includes('{ resource.service.name=~"$job" && span.gen_ai.response.model=~"$model" && duration >= 5s }'));
  // The preset's filters narrow its log panels as they do its metric panels.
  const filtered = tritonDashboard({ logs: true, filters: [{ label: 'model', value: 'resnet50_trt' }] }).build();
  const logTargets = (filtered.panels as Built[]).flatMap((panel) =>
    (panel.targets ?? []).filter((target) => target.datasource?.type === 'loki').map((target) => target.expr ?? ''),
  );
  assert.equal(logTargets.length, 4);
  for (const expr of logTargets) assert.match(expr, /\| json \| model=~"\$model" \| model="resnet50_trt"/);
  assert.throws(
    () => gpuDashboard({ logs: true } as never),
    /^OptionsError: gpuDashboard: option logs = true is not one it takes/,
  );
  assert.throws(
    () => tritonDashboard({ logs: { thresholdMS: 3 } } as never),
    /tritonDashboard: option logs: thresholdMS = 3 is not one it takes; did you mean thresholdMs\?/,
  );
});

test('quantiles read from a histogram ask for exemplars, so a point opens a trace; summaries and means do not', () => {
  const exemplars = (panel: Built) => panel.targets.map((target) => `${target.refId}:${target.exemplar === true}`);
  assert.deepEqual(exemplars(build(panels.timeToFirstToken())), ['A:true', 'B:true', 'C:true', 'AVG:false']);
  assert.deepEqual(exemplars(build(panels.latency({ profile: batcherMetrics }))), ['A:true', 'B:true', 'AVG:false']);
  // Triton's quantiles come from summaries, which carry no exemplars.
  assert.deepEqual(exemplars(build(panels.latency())), ['A:false', 'B:false', 'AVG:false']);
  assert.deepEqual(exemplars(build(panels.prefillDecodeTime())), ['A:false', 'B:true', 'C:false', 'D:true']);
});

test('the lint rules read log queries: a selector that narrows no stream, a field the format does not have', () => {
  assert.deepEqual(logQueryFacts('{job=~".+"} | json | latency > 5 | unwrap batch_size').streams, [
    [{ label: 'job', operator: '=~', value: '.+' }],
  ]);
  assert.deepEqual(logQueryFacts('{job=~"$job"} | json | latency > 5 | unwrap batch_size | __error__=""').jsonFields, [
    'latency',
    'batch_size',
  ]);
  // Fields are read only after the line is parsed: before | json a filter reads a stream label.
  assert.deepEqual(logQueryFacts('{job="a"} | pod="x" | json').jsonFields, []);
});

test('a dashboard of logs only is not asked for the Prometheus variables; one panel of PromQL asks for them', () => {
  const loki = { type: 'loki', uid: 'loki' };
  const logsPanel = {
    type: 'logs',
    title: 'Errors',
    description: 'Failed requests.',
    datasource: loki,
    targets: [{ refId: 'A', expr: '{job="api"} | json | status="error"' }],
  };
  const logsOnly = { uid: 'service-logs', title: 'Service logs', panels: [logsPanel] } as never;
  const rulesOf = (json: never) => lintDashboard(json).map((finding) => finding.rule);
  assert.deepEqual(rulesOf(logsOnly), []);
  const withRate = {
    uid: 'service-logs',
    title: 'Service logs',
    panels: [
      logsPanel,
      {
        ...logsPanel,
        type: 'timeseries',
        title: 'Rate',
        datasource: undefined,
        targets: [{ refId: 'A', expr: 'sum(rate(x_total[5m]))' }],
      },
    ],
  } as never;
  assert.ok(rulesOf(withRate).includes('datasource-variable'));
  assert.ok(rulesOf(withRate).includes('job-instance-variables'));
});

let runs = 0;
/** Builds `inputs` with `args` into a fresh folder; its files, or the failure. */
async function buildTree(inputs: string[], args: string[] = []) {
  const out = join(scratch, `out-${(runs += 1)}`);
  const result = spawnSync(process.execPath, ['dist/src/cli.js', ...inputs, '-o', out, ...args], { cwd: root, encoding: 'utf8' });
  const files = result.status === 0 ? await readTree(out) : new Map<string, string>();
  return { ...result, files };
}

type Datasource = { name: string; uid: string; type: string; url: string; jsonData: Record<string, unknown> };
const datasourcesOf = (text: string) => (parse(text) as { datasources: Datasource[] }).datasources;

test('the tree provisions Loki and Tempo when a dashboard queries them, each linked to the other and Prometheus’s exemplars to Tempo', async () => {
  const metricsOnly = await buildTree(['examples/triton.ts', 'examples/rules.ts']);
  assert.equal(metricsOnly.status, 0, metricsOnly.stderr);
  const alone = datasourcesOf(metricsOnly.files.get('provisioning/datasources/inferboard.yaml')!);
  assert.deepEqual(
    alone.map((source) => source.uid),
    ['inferboard-prometheus'],
  );
  assert.equal(alone[0]!.jsonData.exemplarTraceIdDestinations, undefined);

  const withLogs = await buildTree(['examples/batcher.ts'], ['--loki-url', 'http://loki.monitoring:3100']);
  assert.equal(withLogs.status, 0, withLogs.stderr);
  const text = withLogs.files.get('provisioning/datasources/inferboard.yaml')!;
  const [prometheus, loki, tempo] = datasourcesOf(text);
  assert.deepEqual(
    [prometheus, loki, tempo].map((source) => `${source?.type} ${source?.uid} ${source?.url}`),
    [
      'prometheus inferboard-prometheus http://prometheus:9090',
      'loki inferboard-loki http://loki.monitoring:3100',
      'tempo inferboard-tempo http://tempo:3200',
    ],
  );
  assert.deepEqual(prometheus!.jsonData.exemplarTraceIdDestinations, [{ name: 'trace_id', datasourceUid: 'inferboard-tempo' }]);
  const [derived] = loki!.jsonData.derivedFields as { matcherRegex: string; url: string; datasourceUid: string }[];
  assert.equal(derived!.datasourceUid, 'inferboard-tempo');
  // Grafana expands $NAME in provisioning files: the link's ${__value.raw} is written with $$.
  assert.equal(derived!.url, '$${__value.raw}');
  const line = '{"level":"info","model":"demo","trace_id":"0af7651916cd43dd8448eb211c80319c","latency_ms":61}';
  assert.equal(new RegExp(derived!.matcherRegex).exec(line)?.[1], '0af7651916cd43dd8448eb211c80319c');
  const toLogs = tempo!.jsonData.tracesToLogsV2 as { datasourceUid: string; filterByTraceID: boolean; tags: unknown };
  assert.equal(toLogs.datasourceUid, 'inferboard-loki');
  assert.equal(toLogs.filterByTraceID, true);
  assert.deepEqual(toLogs.tags, [{ key: 'service.name', value: 'job' }]);
  assert.deepEqual(tempo!.jsonData.tracesToMetrics, { datasourceUid: 'inferboard-prometheus' });

  // Loki alone: no trace links to a Tempo that is not there.
  const lokiOnly = datasourceEntries({ uid: 'p', name: 'P' }, {}, new Set(['loki']));
  assert.deepEqual(
    lokiOnly.map((source) => [source.uid, JSON.stringify(source.jsonData)]),
    [
      ['p', '{"timeInterval":"15s","httpMethod":"POST"}'],
      ['inferboard-loki', '{"derivedFields":[]}'],
    ],
  );
});

test('--kubernetes writes the Loki and Tempo datasources for the sidecar, or as GrafanaDatasources for the operator', async () => {
  const sidecar = await buildTree(['examples/batcher.ts'], ['--kubernetes', '--datasource-label', 'grafana_datasource=yes']);
  assert.equal(sidecar.status, 0, sidecar.stderr);
  const configMap = parse(sidecar.files.get('kubernetes/configmap-inferboard-datasources.yaml')!) as Record<string, unknown>;
  new ConfigMap(configMap as never).validate();
  const { metadata, data } = configMap as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
  assert.equal(metadata.labels.grafana_datasource, 'yes');
  const sources = datasourcesOf(data['inferboard-datasources.yaml']!);
  // kube-prometheus-stack provisions Prometheus itself.
  assert.deepEqual(
    sources.map((source) => source.uid),
    ['inferboard-loki', 'inferboard-tempo'],
  );
  assert.equal((sources[0]!.jsonData.derivedFields as { url: string }[])[0]!.url, '$${__value.raw}');
  // Tempo's links to metrics read the Prometheus datasource kube-prometheus-stack provisions.
  assert.deepEqual(sources[1]!.jsonData.tracesToMetrics, { datasourceUid: 'prometheus' });

  const operator = await buildTree(
    ['examples/batcher.ts'],
    ['--kubernetes', '--grafana-operator', '--instance-selector', 'dashboards=grafana', '--prometheus-datasource-uid', 'mimir'],
  );
  assert.equal(operator.status, 0, operator.stderr);
  const loki = parse(operator.files.get('kubernetes/grafanadatasource-inferboard-loki.yaml')!) as {
    spec: { uid: string; instanceSelector: unknown; datasource: Datasource };
  };
  new GrafanaDatasource(loki as never).validate();
  assert.equal(loki.spec.uid, 'inferboard-loki');
  assert.deepEqual(loki.spec.instanceSelector, { matchLabels: { dashboards: 'grafana' } });
  // The operator sends the datasource through Grafana's API, which expands nothing.
  assert.equal((loki.spec.datasource.jsonData.derivedFields as { url: string }[])[0]!.url, '${__value.raw}');
  const tempo = parse(operator.files.get('kubernetes/grafanadatasource-inferboard-tempo.yaml')!) as typeof loki;
  new GrafanaDatasource(tempo as never).validate();
  assert.deepEqual(tempo.spec.datasource.jsonData.serviceMap, { datasourceUid: 'mimir' });
  assert.ok(![...operator.files.keys()].some((path) => path.startsWith('kubernetes/configmap-')));

  const noLogs = await buildTree(['examples/triton.ts', 'examples/rules.ts'], ['--kubernetes']);
  assert.equal(noLogs.status, 0, noLogs.stderr);
  assert.ok(
    ![...noLogs.files.keys()].some((path) => path.startsWith('kubernetes/') && path.includes('datasource')),
    'no datasources where no dashboard reads logs',
  );
});

test('datasource options are checked: URLs, and the label needs --kubernetes', async () => {
  const badUrl = await buildTree(['examples/batcher.ts'], ['--tempo-url', 'tempo:3200']);
  assert.equal(badUrl.status, 1);
  assert.match(badUrl.stderr, /--tempo-url "tempo:3200" is not an http\(s\) URL such as http:\/\/tempo:3200/);
  const label = await buildTree(['examples/batcher.ts'], ['--datasource-label', 'a=b']);
  assert.equal(label.status, 1);
  assert.match(label.stderr, /--datasource-label needs --kubernetes/);
  const uid = await buildTree(['examples/batcher.ts'], ['--kubernetes', '--prometheus-datasource-uid', 'my prometheus']);
  assert.equal(uid.status, 1);
  assert.match(uid.stderr, /--prometheus-datasource-uid "my prometheus" is not a Grafana uid \(1-40 of a-z A-Z 0-9 - _\)/);
});
