/**
 * `build-dashboards push` through Grafana 12/13's resource API, against the stand-in Grafana
 * (test/support/fakeGrafana.ts, written against Grafana 12.x/13.x's documentation): which API
 * `--api auto` picks from API discovery, creates, unchanged, updates with
 * `metadata.resourceVersion`, 409 when someone saves in between, an edit in Grafana refused
 * until --force, the folder and message annotations, v2 specs, a dashboard stored as v2 (406 on
 * the legacy API) and dashboards another tool manages.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { folderUidFor } from '../src/deliver/push.js';
import { dashboardV2Problem } from '../src/check/schema.js';
import { FakeGrafana } from './support/fakeGrafana.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const token = 'glsa_editor_resources_0123456789';
const grafana = new FakeGrafana(token, 'glsa_viewer_resources_0123456789');
let url = '';
const grafana13 = ['v0alpha1', 'v1beta1', 'v1', 'v2beta1', 'v2'];
const grafana12 = ['v0alpha1', 'v1beta1', 'v2alpha1', 'v2beta1'];

before(async () => {
  url = await grafana.start();
});
after(() => grafana.stop());
beforeEach(() => {
  grafana.dashboards.clear();
  grafana.folders.clear();
  grafana.requests.length = 0;
  grafana.historyMissing = false;
});

function push(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/src/cli.js', 'push', '--url', url, '--retry-delay', '20', ...args], {
      cwd: root,
      env: { ...process.env, GRAFANA_TOKEN: token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const board = 'examples/batcher.ts';
const changedBoard = 'test/fixtures/push-batcher.ts';
const uid = 'inference-api-batcher';
const line = (verb: string, rest: string) => `${verb.padEnd(12)} ${uid} "Inference API - Dynamic Batcher" ${rest}`;
const writes = () =>
  grafana.requests.filter(
    (request) => (request.method === 'POST' || request.method === 'PUT') && request.path.includes('dashboards'),
  );
const resourcePath = (version: string, name = '') =>
  `/apis/dashboard.grafana.app/${version}/namespaces/default/dashboards${name ? `/${name}` : ''}`;

test('on Grafana 13, --api auto pushes through the resource API: create, unchanged, update with resourceVersion', async () => {
  grafana.servedVersions = grafana13;
  const created = await push([board]);
  assert.equal(created.status, 0, created.stderr);
  const folderUid = folderUidFor('Inference');
  assert.equal(created.stdout, `${line('created', `in folder "Inference" (created, uid ${folderUid}) (version 1)`)}\n`);
  assert.match(
    created.stderr,
    /Grafana serves dashboard\.grafana\.app .*: pushing through the resource API \(dashboard\.grafana\.app\/v1, namespace default\)/,
  );
  const [create] = writes();
  assert.equal(create?.method, 'POST');
  assert.equal(create?.path, resourcePath('v1'));
  const body = create?.body as { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: { uid: string } };
  assert.equal(body.apiVersion, 'dashboard.grafana.app/v1');
  assert.equal(body.kind, 'Dashboard');
  assert.deepEqual(body.metadata, {
    name: uid,
    annotations: { 'grafana.app/folder': folderUid, 'grafana.app/message': 'inferboard push' },
  });
  assert.equal(body.spec.uid, uid, 'the v1 spec is the classic dashboard');
  assert.equal(grafana.dashboards.get(uid)?.folderUid, folderUid);

  const again = await push([board]);
  assert.equal(again.stdout, `${line('unchanged', 'in folder "Inference" (version 1)')}\n`);
  assert.equal(writes().length, 1);

  const held = grafana.dashboards.get(uid)!.resourceVersion;
  const updated = await push([changedBoard, '--message', 'PR 7']);
  assert.equal(updated.status, 0, updated.stderr);
  assert.equal(updated.stdout, `${line('updated', 'in folder "Inference" (version 2)')}\n`);
  const update = writes().at(-1)!;
  assert.equal(update.method, 'PUT');
  assert.equal(update.path, resourcePath('v1', uid));
  const metadata = (update.body as { metadata: { resourceVersion?: string; annotations: Record<string, string> } }).metadata;
  assert.equal(metadata.resourceVersion, String(held), 'the update names the resourceVersion it read');
  assert.equal(metadata.annotations['grafana.app/message'], 'inferboard: PR 7');
  assert.deepEqual(
    grafana.requests.filter((request) => request.path.startsWith('/api/dashboards')),
    [],
    'the legacy dashboard API was not used',
  );
});

test('an edit in Grafana since the last push is refused unless --force, which saves without a resourceVersion', async () => {
  grafana.servedVersions = grafana13;
  assert.equal((await push([board])).status, 0);
  grafana.editInUi(uid, 'alice');
  const refused = await push([changedBoard]);
  assert.equal(refused.status, 1);
  assert.equal(
    refused.stdout,
    `${line('conflict', 'in folder "Inference": changed in Grafana by alice since the last push (version 2); --force overwrites')}\n`,
  );
  assert.equal(writes().length, 1, 'nothing was saved');
  assert.equal(grafana.dashboards.get(uid)?.dashboard.description, 'edited in the UI');
  const forced = await push([changedBoard, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  const put = writes().at(-1)!;
  assert.equal(put.method, 'PUT');
  assert.equal((put.body as { metadata: { resourceVersion?: string } }).metadata.resourceVersion, undefined);
  assert.equal(grafana.dashboards.get(uid)?.dashboard.refresh, '1m');
});

test('someone saving between the read and the save gets 409 Conflict from the stale resourceVersion, reported', async () => {
  grafana.servedVersions = grafana13;
  assert.equal((await push([board])).status, 0);
  grafana.beforeNextSave = () => {
    const stored = grafana.dashboards.get(uid)!;
    grafana.put(uid, {
      ...stored,
      version: stored.version + 1,
      history: [...stored.history, { version: stored.version + 1, message: 'inferboard: another pipeline', createdBy: 'ci' }],
    });
  };
  const result = await push([changedBoard]);
  assert.equal(result.status, 1);
  assert.match(
    result.stdout,
    /^failed +inference-api-batcher "Inference API - Dynamic Batcher" in folder "Inference": 409 Conflict: someone saved the dashboard during this push \(its resourceVersion changed\); run again, or --force to overwrite$/m,
  );
  assert.notEqual(grafana.dashboards.get(uid)?.dashboard.refresh, '1m', 'the other save was kept');
});

test('a history the resource API cannot list is treated as edited there: conflict, nothing saved', async () => {
  grafana.servedVersions = grafana13;
  assert.equal((await push([board])).status, 0);
  grafana.historyMissing = true;
  const refused = await push([changedBoard]);
  assert.equal(refused.status, 1);
  assert.match(
    refused.stdout,
    /conflict +inference-api-batcher .*: Grafana's version history cannot be read \(the history list answered 400 .*\), so it may have been edited there; --force overwrites$/m,
  );
  assert.equal(writes().length, 1);
});

test('a dashboard another tool manages (grafana.app/managedBy) is never overwritten, even with --force', async () => {
  grafana.servedVersions = grafana13;
  grafana.put(uid, {
    dashboard: { uid, title: 'old' },
    version: 1,
    provisioned: true,
    folderUid: '',
    history: [{ version: 1, message: '', createdBy: 'provisioner' }],
    annotations: { 'grafana.app/managedBy': 'classic-file-provisioning' },
  });
  const result = await push([board, '--force', '--folder-uid', '']);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^conflict +inference-api-batcher .*: Grafana's classic-file-provisioning manages this dashboard/m);
  assert.equal(writes().length, 0);
});

test('--schema v2 pushes dashboard.grafana.app/v2 specs on Grafana 13 and is refused on Grafana 12', async () => {
  grafana.servedVersions = grafana13;
  const created = await push([board, '--schema', 'v2', '--folder-uid', '']);
  assert.equal(created.status, 0, created.stderr);
  const [create] = writes();
  assert.equal(create?.path, resourcePath('v2'));
  const body = create?.body as { apiVersion: string; spec: unknown };
  assert.equal(body.apiVersion, 'dashboard.grafana.app/v2');
  assert.equal(dashboardV2Problem(body.spec), undefined);
  assert.equal(grafana.dashboards.get(uid)?.storedAs, 'v2');
  const again = await push([board, '--schema', 'v2', '--folder-uid', '']);
  assert.match(again.stdout, /^unchanged +inference-api-batcher/);

  grafana.servedVersions = grafana12;
  const refused = await push([board, '--schema', 'v2']);
  assert.equal(refused.status, 1);
  assert.equal(
    refused.stderr.trim(),
    'build-dashboards: Grafana serves dashboard.grafana.app v0alpha1, v1beta1, v2alpha1, v2beta1: v2 dashboards need its stable v2 (Grafana 13); push --schema v1',
  );
  const legacy = await push([board, '--schema', 'v2', '--api', 'legacy']);
  assert.equal(legacy.status, 1);
  assert.match(legacy.stderr, /--api legacy takes classic dashboards only/);
});

test('on Grafana 12, auto keeps the legacy API, and a dashboard stored as v2 (406 there) goes through the resource API', async () => {
  grafana.servedVersions = grafana12;
  assert.equal((await push([board])).status, 0);
  assert.ok(
    writes().every((request) => request.path === '/api/dashboards/db'),
    'created through the legacy API',
  );
  // Someone saves it in Grafana 12's new dashboard editor, which stores it as v2.
  grafana.editInUi(uid, 'bob', 'v2');
  const refused = await push([changedBoard]);
  assert.equal(refused.status, 1);
  assert.match(
    refused.stdout,
    /^conflict +inference-api-batcher .*: changed in Grafana by bob since the last push \(version 2\)/m,
  );
  assert.ok(grafana.requests.some((request) => request.method === 'GET' && request.path === resourcePath('v1beta1', uid)));
  const forced = await push([changedBoard, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(writes().at(-1)?.path, resourcePath('v1beta1', uid));
  assert.equal(grafana.dashboards.get(uid)?.storedAs, 'v1', 'saved as a classic dashboard again');

  grafana.editInUi(uid, 'bob', 'v2');
  const legacyOnly = await push([changedBoard, '--api', 'legacy']);
  assert.equal(legacyOnly.status, 1);
  assert.match(
    legacyOnly.stdout,
    /^conflict +inference-api-batcher .*: Grafana stores it as a v2 dashboard \(406 on the legacy API\): push with --api resources$/m,
  );
});

test('--api resources on a Grafana without the resource API, and a login page where discovery answers, stop with one line', async () => {
  grafana.servedVersions = [];
  const missing = await push([board, '--api', 'resources']);
  assert.equal(missing.status, 1);
  assert.equal(
    missing.stderr.trim(),
    'build-dashboards: Grafana serves no dashboard.grafana.app API (Grafana 12 and later do): push with --api legacy',
  );
  grafana.faults.push('login');
  const login = await push([board]);
  assert.equal(login.status, 1);
  assert.match(
    login.stderr,
    /^build-dashboards: API discovery: GET \/apis\/dashboard\.grafana\.app answered 200 with what is not Grafana's API \(text\/html; charset=utf-8: .*\): check --url$/m,
  );
  assert.equal(writes().length, 0);
});
