/**
 * `build-dashboards --kubernetes`: the objects kubectl applies, checked against the typed
 * models' schemas (kubernetes-models, @kubernetes-models/prometheus-operator and
 * grafana-operator) as read back from the files; the label conventions of kube-prometheus-stack
 * and the grafana-operator; each dashboard object holding the very JSON of the file tree; the
 * size limits of Kubernetes and of client-side apply; byte-identical rebuilds; option errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { GrafanaDashboard } from '@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDashboard';
import { GrafanaManifest } from '@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaManifest';
import { GrafanaFolder } from '@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaFolder';
import { readTree } from '../src/review/revision.js';
import { kubernetesLimits } from '../src/build/kubernetes.js';
import { folderUidFor } from '../src/build/folderUid.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'inferboard-kubernetes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Builds `inputs` with `args` into a fresh folder; its files, or the failure. */
async function build(inputs: string[], args: string[]) {
  const out = join(scratch, `out-${(runs += 1)}`);
  const result = spawnSync(process.execPath, ['dist/src/cli.js', ...inputs, '-o', out, ...args], { cwd: root, encoding: 'utf8' });
  const files = result.status === 0 ? await readTree(out) : new Map<string, string>();
  return { ...result, out, files };
}

type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

/** The objects of the kubernetes/ folder by path; each file holds exactly one. */
function objectsOf(files: Map<string, string>): Map<string, KubernetesObject> {
  const objects = new Map<string, KubernetesObject>();
  for (const [path, text] of files) {
    if (!path.startsWith('kubernetes/')) continue;
    const documents = parseAllDocuments(text);
    assert.equal(documents.length, 1, `${path}: one object`);
    objects.set(path, documents[0]!.toJS() as KubernetesObject);
  }
  return objects;
}

/** Validates what a file holds with the model of its kind, as kubectl's server would check the schema. */
function validate(object: KubernetesObject): void {
  const models = { ConfigMap, PrometheusRule, ServiceMonitor, GrafanaDashboard, GrafanaFolder, GrafanaManifest } as Record<
    string,
    new (value: unknown) => { validate(): void }
  >;
  const Model = models[object.kind];
  assert.ok(Model, `a model for ${object.kind}`);
  new Model(object).validate();
}

const examples = ['examples'];

test("the sidecar layout: a ConfigMap per dashboard holding the file tree's JSON, labelled and annotated with its folder", async () => {
  const { status, stderr, files } = await build(examples, ['--kubernetes']);
  assert.equal(status, 0, stderr);
  const objects = objectsOf(files);
  const dashboards = [...files.keys()].filter((path) => path.startsWith('dashboards/'));
  // The Loki and Tempo datasources the batcher example reads have their own (test/logs-and-traces.test.ts).
  const configMaps = [...objects].filter(
    ([, object]) => object.kind === 'ConfigMap' && object.metadata.name !== 'inferboard-datasources',
  );
  assert.equal(configMaps.length, dashboards.length, 'one ConfigMap per dashboard');
  for (const object of objects.values()) validate(object);
  for (const file of dashboards) {
    const [, folder, name] = /^dashboards\/(.+)\/([^/]+)$/.exec(file)!;
    const uid = name!.replace(/\.json$/, '');
    const configMap = objects.get(`kubernetes/configmap-inferboard-${uid}.yaml`);
    assert.ok(configMap, `${file} has a ConfigMap`);
    assert.equal(configMap.apiVersion, 'v1');
    assert.equal(configMap.metadata.namespace, 'monitoring');
    assert.deepEqual(configMap.metadata.labels, { grafana_dashboard: '1', 'app.kubernetes.io/managed-by': 'inferboard' });
    assert.deepEqual(configMap.metadata.annotations, { grafana_folder: folder });
    assert.deepEqual(Object.keys(configMap.data ?? {}), [`${uid}.json`]);
    assert.equal(configMap.data?.[`${uid}.json`], files.get(file), `${file}: the ConfigMap holds the same bytes`);
  }
});

test('every rule group is a PrometheusRule with the release label kube-prometheus-stack selects by', async () => {
  const { status, stderr, files } = await build(examples, ['--kubernetes']);
  assert.equal(status, 0, stderr);
  const objects = objectsOf(files);
  const ruleFiles = [...files].filter(([path]) => path.startsWith('prometheus/rules/'));
  const rules = [...objects.values()].filter((object) => object.kind === 'PrometheusRule');
  assert.equal(rules.length, ruleFiles.length);
  for (const [path, text] of ruleFiles) {
    const [group] = (parse(text) as { groups: { name: string }[] }).groups;
    const rule = rules.find((object) => (object.spec?.groups as { name: string }[])[0]?.name === group!.name);
    assert.ok(rule, `${path} has a PrometheusRule`);
    assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
    assert.deepEqual(rule.metadata.labels, { release: 'kube-prometheus-stack', 'app.kubernetes.io/managed-by': 'inferboard' });
    assert.deepEqual(rule.spec?.groups, [group], `${path}: the same group promtool checks`);
  }
});

test('a ServiceMonitor per server the dashboards read: its port and path, the scrape interval, the job the queries filter by', async () => {
  const { status, stderr, files } = await build(examples, ['--kubernetes', '--scrape-interval', '30s']);
  assert.equal(status, 0, stderr);
  const monitors = new Map(
    [...objectsOf(files).values()]
      .filter((object) => object.kind === 'ServiceMonitor')
      .map((object) => [object.metadata.name, object]),
  );
  assert.deepEqual([...monitors.keys()], ['inferboard-batcher', 'inferboard-dcgm', 'inferboard-triton', 'inferboard-vllm']);
  const endpoint = (name: string) => (monitors.get(name)?.spec?.endpoints as Record<string, unknown>[])[0];
  const expected = {
    'inferboard-triton': { port: 8002, path: '/metrics', job: 'triton' },
    'inferboard-vllm': { port: 8000, path: '/metrics', job: 'vllm' },
    'inferboard-batcher': { port: 8001, path: '/metrics', job: 'inference-api' },
    'inferboard-dcgm': { port: 9400, path: '/metrics', job: 'dcgm-exporter' },
  };
  for (const [name, { port, path, job }] of Object.entries(expected)) {
    const monitor = monitors.get(name)!;
    assert.deepEqual(monitor.metadata.labels, { release: 'kube-prometheus-stack', 'app.kubernetes.io/managed-by': 'inferboard' });
    assert.deepEqual(monitor.spec?.selector, { matchLabels: { 'app.kubernetes.io/name': job } });
    assert.equal(endpoint(name)?.targetPort, port, name);
    assert.equal(endpoint(name)?.path, path, name);
    assert.equal(endpoint(name)?.interval, '30s', `${name}: the interval $__rate_interval assumes`);
    assert.deepEqual(endpoint(name)?.relabelings, [{ action: 'replace', targetLabel: 'job', replacement: job }]);
  }
  assert.equal(endpoint('inferboard-dcgm')?.honorLabels, true, "DCGM's namespace and pod are the GPU workload's");
  assert.equal(endpoint('inferboard-triton')?.honorLabels, undefined);
});

test('names, labels and annotations are configurable as kube-prometheus-stack configures its sidecar and selectors', async () => {
  const { status, stderr, files } = await build(examples, [
    '--kubernetes',
    '--namespace',
    'observability',
    '--dashboard-label',
    'grafana_dashboard=inference',
    '--folder-annotation',
    'k8s-sidecar-target-directory',
    '--prometheus-label',
    'release=prom',
    '--prometheus-label',
    'team=ml',
    '--service-label',
    'app',
  ]);
  assert.equal(status, 0, stderr);
  const objects = [...objectsOf(files).values()];
  assert.ok(objects.every((object) => object.metadata.namespace === 'observability'));
  const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name !== 'inferboard-datasources')!;
  assert.equal(configMap.metadata.labels?.grafana_dashboard, 'inference');
  assert.deepEqual(Object.keys(configMap.metadata.annotations ?? {}), ['k8s-sidecar-target-directory']);
  for (const object of objects.filter((candidate) => candidate.kind !== 'ConfigMap')) {
    assert.deepEqual(object.metadata.labels, { release: 'prom', team: 'ml', 'app.kubernetes.io/managed-by': 'inferboard' });
  }
  const monitor = objects.find((object) => object.kind === 'ServiceMonitor')!;
  assert.deepEqual(Object.keys((monitor.spec?.selector as { matchLabels: object }).matchLabels), ['app']);
});

test('the same input gives byte-identical objects, and --check sees them up to date', async () => {
  const first = await build(examples, ['--kubernetes', '--grafana-operator', '--instance-selector', 'dashboards=grafana']);
  const second = await build(examples, ['--kubernetes', '--grafana-operator', '--instance-selector', 'dashboards=grafana']);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(second.files, first.files);
  const check = spawnSync(
    process.execPath,
    [
      'dist/src/cli.js',
      'examples',
      '-o',
      first.out,
      '--check',
      '--kubernetes',
      '--grafana-operator',
      '--instance-selector',
      'dashboards=grafana',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('the grafana-operator layout: GrafanaFolders with the folder uids push uses, GrafanaDashboards in them; v2 dashboards as GrafanaManifests', async () => {
  const { status, stderr, files } = await build(examples, [
    '--kubernetes',
    '--grafana-operator',
    '--instance-selector',
    'dashboards=grafana',
  ]);
  assert.equal(status, 0, stderr);
  const objects = objectsOf(files);
  const file = 'dashboards/Inference/triton-inference.json';
  const resource = objects.get('kubernetes/grafanadashboard-inferboard-triton-inference.yaml')!;
  validate(resource);
  assert.equal(resource.apiVersion, 'grafana.integreatly.org/v1beta1');
  assert.equal(resource.kind, 'GrafanaDashboard');
  const folderUid = folderUidFor('Inference');
  const folderName = `inferboard-folder-${folderUid}`;
  assert.deepEqual(resource.spec, {
    instanceSelector: { matchLabels: { dashboards: 'grafana' } },
    folderRef: folderName,
    json: files.get(file),
  });
  const folder = objects.get(`kubernetes/grafanafolder-${folderName}.yaml`)!;
  validate(folder);
  assert.deepEqual(folder.spec, {
    instanceSelector: { matchLabels: { dashboards: 'grafana' } },
    title: 'Inference',
    uid: folderUid,
  });
  const folderTitles = [...objects.values()]
    .filter((object) => object.kind === 'GrafanaFolder')
    .map((object) => object.spec?.title);
  assert.deepEqual(folderTitles.sort(), ['Inference', 'LLM'], 'one GrafanaFolder per folder');
  assert.ok(![...objects.values()].some((object) => object.kind === 'ConfigMap'));

  const v2 = await build(examples, [
    '--kubernetes',
    '--grafana-operator',
    '--instance-selector',
    'dashboards=grafana',
    '--schema',
    'v2',
  ]);
  assert.equal(v2.status, 0, v2.stderr);
  const manifest = objectsOf(v2.files).get('kubernetes/grafanadashboard-inferboard-triton-inference.yaml')!;
  validate(manifest);
  assert.equal(manifest.kind, 'GrafanaManifest');
  const { metadata, ...resourceOfFile } = JSON.parse(v2.files.get(file)!);
  assert.deepEqual(manifest.spec?.template, {
    ...resourceOfFile,
    metadata: { ...metadata, annotations: { 'grafana.app/folder': folderUid } },
  });
});

test('a dashboard over what client-side apply keeps fails with the sizes and what to do; server-side apply or the operator gzipped fit', async () => {
  const large = 'test/fixtures/large-dashboard.ts';
  const refused = await build([large], ['--kubernetes']);
  assert.equal(refused.status, 1);
  assert.match(
    refused.stderr,
    /^build-dashboards: test\/fixtures\/large-dashboard\.ts: dashboard "Large" \(large\): its ConfigMap is [\d,]+ bytes; kubectl apply copies an object into its last-applied annotation, which holds 262,144 bytes: apply with kubectl apply --server-side and build with --server-side-apply, or build with --grafana-operator, which writes it gzipped\n$/,
  );
  const bytes = Number(/ConfigMap is ([\d,]+) bytes/.exec(refused.stderr)![1]!.replace(/,/g, ''));
  assert.ok(bytes > kubernetesLimits.annotations && bytes < kubernetesLimits.object, `${bytes} bytes`);

  const serverSide = await build([large], ['--kubernetes', '--server-side-apply']);
  assert.equal(serverSide.status, 0, serverSide.stderr);
  assert.ok(serverSide.files.has('kubernetes/configmap-inferboard-large.yaml'));

  const operator = await build([large], ['--kubernetes', '--grafana-operator', '--instance-selector', 'dashboards=grafana']);
  assert.equal(operator.status, 0, operator.stderr);
  const resource = objectsOf(operator.files).get('kubernetes/grafanadashboard-inferboard-large.yaml')!;
  validate(resource);
  assert.equal(resource.spec?.json, undefined);
  const text = new TextDecoder().decode(gunzipSync(Buffer.from(resource.spec?.gzipJson as string, 'base64')));
  assert.equal(text, operator.files.get('dashboards/Fleet/large.json'), "gzipJson unzips to the file tree's JSON");
  assert.ok(
    Buffer.byteLength(readFileSync(join(operator.out, 'kubernetes/grafanadashboard-inferboard-large.yaml'))) <
      kubernetesLimits.annotations,
  );
});

test('Kubernetes options are checked: each error names the option and the value, and nothing is written', async () => {
  const cases: [string[], RegExp][] = [
    [['--namespace', 'ml'], /^build-dashboards: --namespace needs --kubernetes$/m],
    [['--kubernetes', '--namespace', 'ML_team'], /--namespace "ML_team" is not a Kubernetes namespace/],
    [['--kubernetes', '--prometheus-label', 'release'], /--prometheus-label "release" is not name=value/],
    [
      ['--kubernetes', '--prometheus-label', 'release=kube prometheus'],
      /--prometheus-label "release=kube prometheus" is not name=value/,
    ],
    [['--kubernetes', '--prometheus-label', 'release=-x'], /--prometheus-label: release="-x": a label value is at most 63/],
    [['--kubernetes', '--grafana-operator'], /--grafana-operator needs --instance-selector name=value/],
    [['--kubernetes', '--instance-selector', 'a=b'], /--instance-selector needs --grafana-operator/],
    [['--kubernetes', '--dashboard-label', 'a=b', '--dashboard-label', 'c=d'], /--dashboard-label is given twice/],
    [['--schema', 'v3'], /option '--schema <version>' argument 'v3' is invalid\. Allowed choices are v1, v2\./],
  ];
  for (const [args, message] of cases) {
    const result = await build(examples, args);
    assert.equal(result.status, 1, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
    assert.deepEqual(existsSync(result.out) ? readdirSync(result.out) : [], [], `${args.join(' ')}: nothing written`);
  }
});
