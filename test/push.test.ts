/**
 * `build-dashboards push` against a local server that follows Grafana's dashboard API
 * contract: create, unchanged, update, a dashboard changed in the UI (refused, then --force),
 * provisioned dashboards, 401, 403, 412 during a push, 5xx, resets and refused connections
 * retried, timeouts; and the token never appears in any output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { folderUidFor } from '../src/deliver/push.js';
import { FakeGrafana } from './support/fakeGrafana.js';
import { freePort } from './support/freePort.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const editorToken = 'glsa_editor_s3cr3t_0123456789abcdef';
const viewerToken = 'glsa_viewer_s3cr3t_fedcba9876543210';
const grafana = new FakeGrafana(editorToken, viewerToken);
let url = '';
const outputs: string[] = [];

before(async () => {
  url = await grafana.start();
});
after(async () => {
  await grafana.stop();
  // Whatever happened, no output carried a token.
  for (const output of outputs) {
    assert.ok(!output.includes(editorToken) && !output.includes(viewerToken), `a token was printed:\n${output}`);
  }
});

/** Runs push; into the folder `folderUid` (null: each dashboard's own folder, by title). */
function push(
  args: string[],
  token: string | null = editorToken,
  target = url,
  folderUid: string | null = 'inference',
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, GRAFANA_TOKEN: token ?? '' };
    if (token === null) delete env.GRAFANA_TOKEN;
    const folder = folderUid === null ? [] : ['--folder-uid', folderUid];
    const child = spawn(
      process.execPath,
      ['dist/src/cli.js', 'push', '--url', target, '--api', 'legacy', '--retry-delay', '20', ...folder, ...args],
      {
        cwd: root,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => {
      outputs.push(stdout + stderr);
      resolve({ status, stdout, stderr });
    });
  });
}

const board = 'examples/batcher.ts';
const changedBoard = 'test/fixtures/push-batcher.ts';
const uid = 'inference-api-batcher';
const posts = () => grafana.requests.filter((request) => request.method === 'POST').length;

test('without GRAFANA_TOKEN it refuses at once', async () => {
  const result = await push([board], null);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^build-dashboards: GRAFANA_TOKEN is not set/);
});

test('--dry-run plans a create and saves nothing; then push creates, and again is unchanged', async () => {
  const planned = await push([board, '--dry-run']);
  assert.equal(planned.status, 0, planned.stderr);
  assert.equal(planned.stdout, `would create ${uid} "Inference API - Dynamic Batcher"\n`);
  assert.equal(posts(), 0);
  const created = await push([board, '--message', 'PR 12']);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.stdout, `created      ${uid} "Inference API - Dynamic Batcher" (version 1)\n`);
  const saved = grafana.requests.find((request) => request.method === 'POST');
  assert.equal(saved?.authorization, `Bearer ${editorToken}`);
  assert.deepEqual(Object.keys(saved?.body ?? {}).sort(), ['dashboard', 'folderUid', 'message', 'overwrite']);
  assert.equal(saved?.body?.folderUid, 'inference');
  assert.equal(saved?.body?.message, 'inferboard: PR 12');
  assert.equal(saved?.body?.overwrite, false);
  const again = await push([board]);
  assert.equal(again.stdout, `unchanged    ${uid} "Inference API - Dynamic Batcher" (version 1)\n`);
  assert.equal(posts(), 1);
});

test('a changed dashboard is updated with the version Grafana holds (optimistic locking)', async () => {
  const planned = await push([changedBoard, '--dry-run']);
  assert.equal(planned.stdout, `would update ${uid} "Inference API - Dynamic Batcher" (version 1)\n`);
  const updated = await push([changedBoard]);
  assert.equal(updated.status, 0, updated.stderr);
  assert.match(updated.stdout, /^updated +inference-api-batcher .*\(version 2\)$/m);
  const last = grafana.requests.filter((request) => request.method === 'POST').at(-1);
  assert.equal((last?.body?.dashboard as { version?: number }).version, 1);
  assert.equal(grafana.dashboards.get(uid)?.dashboard.refresh, '1m');
});

test('a dashboard changed in the UI since the last push is refused unless --force', async () => {
  grafana.editInUi(uid, 'alice');
  const before = posts();
  const refused = await push([board]);
  assert.equal(refused.status, 1);
  assert.match(
    refused.stdout,
    /^conflict +inference-api-batcher "Inference API - Dynamic Batcher": changed in Grafana by alice since the last push \(version 3\); --force overwrites$/m,
  );
  assert.equal(posts(), before, 'nothing was saved');
  assert.equal(grafana.dashboards.get(uid)?.dashboard.description, 'edited in the UI');
  const forced = await push([board, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stdout, /^updated +inference-api-batcher .*\(version 4\)$/m);
  assert.equal(grafana.requests.filter((request) => request.method === 'POST').at(-1)?.body?.overwrite, true);
});

test('someone saving between the check and the save gets 412 version-mismatch, reported', async () => {
  grafana.beforeNextSave = () => {
    const stored = grafana.dashboards.get(uid)!;
    stored.version += 1;
    stored.history.push({ version: stored.version, message: 'inferboard: another pipeline', createdBy: 'sa-inferboard' });
  };
  const result = await push([changedBoard]);
  assert.equal(result.status, 1);
  assert.match(
    result.stdout,
    /^failed +inference-api-batcher "Inference API - Dynamic Batcher": 412 version-mismatch: someone saved the dashboard during this push/m,
  );
  assert.match(result.stderr, /1 of 1 dashboards not pushed/);
});

test('a file-provisioned dashboard answers 400, explained', async () => {
  grafana.dashboards.set('triton-inference', {
    dashboard: { uid: 'triton-inference', title: 'old' },
    version: 1,
    provisioned: true,
    folderUid: '',
    history: [{ version: 1, message: 'inferboard push', createdBy: 'provisioning' }],
  });
  const result = await push(['examples/triton.ts', 'examples/rules.ts']);
  assert.equal(result.status, 1);
  assert.match(
    result.stdout,
    /^failed +triton-inference "Triton Inference Server": 400 Cannot save provisioned dashboard: Grafana loads this dashboard from provisioning files/m,
  );
});

test('a rejected token (401) and a viewer token (403) stop the push with one clear line', async () => {
  const unauthorized = await push([board], 'glsa_wrong_token_000');
  assert.equal(unauthorized.status, 1);
  assert.equal(
    unauthorized.stderr,
    'build-dashboards: dashboard inference-api-batcher: 401 unauthorized: Grafana rejected the token in GRAFANA_TOKEN\n',
  );
  assert.ok(!unauthorized.stdout.includes('glsa_wrong_token_000') && !unauthorized.stderr.includes('glsa_wrong_token_000'));
  const forbidden = await push([changedBoard, '--force'], viewerToken);
  assert.equal(forbidden.status, 1);
  assert.match(
    forbidden.stderr,
    /^build-dashboards: dashboard inference-api-batcher: 403 forbidden: the service account may not do this/,
  );
});

test('5xx answers and connection resets are retried with backoff; persistent 5xx fails after the retries', async () => {
  grafana.dashboards.delete(uid);
  grafana.faults.push('500', 'reset', '500');
  const recovered = await push([board]);
  assert.equal(recovered.status, 0, recovered.stderr);
  assert.match(recovered.stdout, /^created +inference-api-batcher/m);
  assert.match(
    recovered.stderr,
    /GET \/api\/dashboards\/uid\/inference-api-batcher: 500 Internal Server Error; retrying in 20 ms/,
  );
  assert.match(recovered.stderr, /connection failed \(\w+\); retrying in 40 ms/);
  grafana.faults.push('500', '500', '500');
  const failed = await push([board, '--retries', '2']);
  assert.equal(failed.status, 1);
  assert.match(
    failed.stderr,
    /^build-dashboards: GET \/api\/dashboards\/uid\/inference-api-batcher: 500 Internal Server Error after 3 attempts$/m,
  );
});

test('a refused connection (Grafana still starting) is retried until Grafana listens', async () => {
  const late = new FakeGrafana(editorToken, viewerToken);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['dist/src/cli.js', 'push', '--url', `http://127.0.0.1:${port}`, '--retry-delay', '200', '--retries', '5', board],
    {
      cwd: root,
      env: { ...process.env, GRAFANA_TOKEN: editorToken },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Grafana comes up once the first attempt has been refused.
  const refused = new Promise<void>((resolve) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('ECONNREFUSED')) resolve();
    }),
  );
  const closed = once(child, 'close');
  await Promise.race([refused, closed]);
  await late.start(port);
  try {
    const [status] = await closed;
    outputs.push(stdout + stderr);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /connection failed \(ECONNREFUSED\); retrying in 200 ms/);
    assert.match(stdout, /^created +inference-api-batcher/m);
    assert.ok(late.dashboards.has(uid));
  } finally {
    await late.stop();
  }
});

test('a Grafana that does not answer times out with a clear line', async () => {
  grafana.faults.push('hang');
  const result = await push([board, '--timeout', '300']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^build-dashboards: GET \/api\/dashboards\/uid\/inference-api-batcher: no answer within 300 ms$/m);
});

test('a Grafana whose version history cannot be read is treated as edited there: conflict, nothing saved; --force overwrites', async () => {
  // The dashboard exists (created above) and differs from what is pushed.
  grafana.versionsMissing = true;
  try {
    const before = posts();
    const refused = await push([changedBoard]);
    assert.equal(refused.status, 1);
    assert.match(
      refused.stdout,
      /^conflict +inference-api-batcher "Inference API - Dynamic Batcher": Grafana's version history cannot be read \(it answered 404 \(application\/json: .*\)\), so it may have been edited there; --force overwrites$/m,
    );
    assert.equal(posts(), before, 'nothing was saved');
    const forced = await push([changedBoard, '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal(posts(), before + 1);
  } finally {
    grafana.versionsMissing = false;
  }
});

test('the token never appears: a proxy echoing the Authorization header is redacted in retry lines and the final error', async () => {
  grafana.faults.push('echo', 'echo', 'echo');
  const result = await push([board, '--retries', '2']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /502 bad gateway for request with Bearer \[token\]; retrying in 20 ms/);
  assert.match(
    result.stderr,
    /^build-dashboards: GET \/api\/dashboards\/uid\/inference-api-batcher: 502 bad gateway for request with Bearer \[token\] after 3 attempts$/m,
  );
  assert.ok(!result.stderr.includes(editorToken) && !result.stdout.includes(editorToken));
  const newline = await push([board], `${editorToken}\nX-Injected: 1`);
  assert.equal(newline.status, 1);
  assert.equal(newline.stderr.trim(), 'build-dashboards: GRAFANA_TOKEN holds a line break: a token is one line');
});

test("an answer that is not Grafana's API (a login page with 200) is an error naming what came back, never a save", async () => {
  grafana.faults.push('login');
  const read = await push([board]);
  assert.equal(read.status, 1);
  assert.match(
    read.stderr,
    /^build-dashboards: dashboard inference-api-batcher: GET answered 200 with what is not Grafana's API \(text\/html; charset=utf-8: "<!doctype html><html><title>Grafana<\/title><body>Log in<\/bod"\): check --url$/m,
  );
});

test('numeric options and the URL are checked: the error names the option and the value', async () => {
  for (const [args, message] of [
    [['--retries', 'abc'], /--retries "abc" is not a whole number from 0 to 20/],
    [['--timeout', '1.5'], /--timeout "1.5" is not a whole number from 1 to 3600000/],
    [['--retry-delay', '-1'], /--retry-delay "-1" is not a whole number from 0 to 60000/],
  ] as const) {
    const result = await push([board, ...args]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, message);
  }
  const url = await push([board], editorToken, 'grafana.example.com');
  assert.equal(url.status, 1);
  assert.match(url.stderr, /--url "grafana\.example\.com" is not an http\(s\) URL such as https:\/\/grafana\.example\.com/);
});

test('each dashboard goes into its folder: found by title, or created once with a uid derived from the title', async () => {
  const fresh = new FakeGrafana(editorToken, viewerToken);
  const freshUrl = await fresh.start();
  try {
    const folderUid = folderUidFor('Inference');
    assert.match(folderUid, /^inference-[0-9a-f]{8}$/);
    const planned = await push([board, '--dry-run'], editorToken, freshUrl, null);
    assert.equal(planned.status, 0, planned.stderr);
    assert.equal(
      planned.stdout,
      `would create ${uid} "Inference API - Dynamic Batcher" in folder "Inference" (would be created, uid ${folderUid})\n`,
    );
    assert.equal(fresh.folders.size, 0, 'a dry run creates no folder');

    const created = await push([board, 'examples/triton.ts', 'examples/rules.ts'], editorToken, freshUrl, null);
    assert.equal(created.status, 0, created.stderr);
    assert.deepEqual(created.stdout.trim().split('\n'), [
      `created      ${uid} "Inference API - Dynamic Batcher" in folder "Inference" (created, uid ${folderUid}) (version 1)`,
      'created      triton-inference "Triton Inference Server" in folder "Inference" (version 1)',
    ]);
    assert.deepEqual([...fresh.folders], [[folderUid, 'Inference']], 'one folder, created once');
    assert.equal(fresh.dashboards.get(uid)?.folderUid, folderUid);
    assert.equal(fresh.dashboards.get('triton-inference')?.folderUid, folderUid);

    const again = await push([board], editorToken, freshUrl, null);
    assert.equal(again.stdout, `unchanged    ${uid} "Inference API - Dynamic Batcher" in folder "Inference" (version 1)\n`);

    // A folder made by hand in Grafana, with a uid of its own: found by its title and used.
    fresh.folders.clear();
    fresh.folders.set('hand-made', 'Inference');
    const moved = await push([board], editorToken, freshUrl, null);
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(
      moved.stdout,
      /^updated +inference-api-batcher "Inference API - Dynamic Batcher" in folder "Inference" \(version 2\)$/m,
    );
    assert.equal(fresh.dashboards.get(uid)?.folderUid, 'hand-made', 'moved into the folder of that title');
    assert.deepEqual([...fresh.folders.keys()], ['hand-made'], 'no second folder of the same title');
  } finally {
    await fresh.stop();
  }
});

test('folder uids are stable, at most 40 characters, and differ with the title', () => {
  const titles = ['Inference', 'inference', 'Café', 'Cafe\u0301', 'A'.repeat(200), '日本語', '---'];
  const uids = titles.map(folderUidFor);
  assert.deepEqual(uids, titles.map(folderUidFor), 'the same on every call');
  for (const folderUid of uids) assert.match(folderUid, /^[a-z0-9-]{1,40}$/);
  assert.equal(folderUidFor('Café'), folderUidFor('Cafe\u0301'), 'one title however it is normalized');
  assert.equal(new Set(uids).size, titles.length - 1);
  assert.equal(folderUidFor('日本語').startsWith('folder-'), true);
});
