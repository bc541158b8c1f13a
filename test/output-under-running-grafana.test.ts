/**
 * Rebuilding a 1,000-dashboard tree under a running Grafana and Prometheus: their bind mounts
 * stay live and never see a missing or half-written file; a build killed at any instant
 * (SIGKILL) leaves every file old or new and complete, and no temporary file a provider loads;
 * SIGINT and SIGTERM leave the old tree exactly; two builds into one folder never mix.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'node:test';
import { contents } from './support/outputTree.js';

const root = new URL('..', import.meta.url).pathname;
const fleet = 'test/fixtures/rebuild-fleet.ts';

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly milliseconds: number;
}

/** Builds version 1 or 2 of the fleet into `out`; with `signal`, sends it after `delay` ms. */
function build(out: string, version: 1 | 2, signal?: NodeJS.Signals, delay = 0): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/src/cli.js', '--out', out, fleet], {
      cwd: root,
      env: { ...process.env, REBUILD_FLEET_VERSION: String(version) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = signal && setTimeout(() => child.kill(signal), delay);
    child.on('close', (status, signalled) => {
      clearTimeout(timer);
      resolve({ status, signal: signalled, stderr, milliseconds: performance.now() - started });
    });
  });
}

/** A provider loads these: dashboards' JSON, provisioning and rule YAML. */
const loadable = (path: string) => /\.(json|ya?ml)$/.test(path);
const scratch = () => mkdtempSync(join(tmpdir(), 'inferboard-running-'));

/** Both versions, built apart, and how long a rebuild takes here. */
async function versions() {
  const [one, two] = [join(scratch(), 'grafana'), join(scratch(), 'grafana')];
  assert.equal((await build(one, 1)).status, 0);
  const second = await build(two, 2);
  assert.equal(second.status, 0, second.stderr);
  return { one: contents(one), two: contents(two), milliseconds: second.milliseconds };
}

/** What a killed build may leave: every loadable file complete, of version 1 or 2; nothing else loadable. */
function assertOldOrNew(
  out: string,
  one: Record<string, string>,
  two: Record<string, string>,
  context: string,
): 'old' | 'new' | 'mixed' {
  const files = contents(out);
  let old = 0;
  let fresh = 0;
  for (const [path, content] of Object.entries(files)) {
    if (!(path in one) && !(path in two)) {
      assert.ok(!loadable(path), `${context}: ${path} is neither version's file, and a provider would load it`);
      continue;
    }
    const isOld = one[path] === content;
    const isNew = two[path] === content;
    assert.ok(isOld || isNew, `${context}: ${path} is neither version's content (half-written?)`);
    if (isOld && !isNew) old += 1;
    if (isNew && !isOld) fresh += 1;
  }
  return fresh === 0 ? 'old' : old === 0 ? 'new' : 'mixed';
}

test('a build killed by SIGKILL at many instants leaves every file old or new and complete; the next build cleans up', async (t) => {
  const { one, two, milliseconds } = await versions();
  const out = join(scratch(), 'grafana');
  const outcomes = { old: 0, new: 0, mixed: 0 };
  // Denser towards the end, where the files are renamed into place.
  const instants = [0.3, 0.5, 0.65, 0.75, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.3, 1.4];
  for (const instant of instants) {
    assert.equal((await build(out, 1)).status, 0);
    const delay = Math.round(instant * milliseconds);
    const killed = await build(out, 2, 'SIGKILL', delay);
    const context = `SIGKILL after ${delay} ms (${killed.signal ?? `exit ${killed.status}`})`;
    const outcome = assertOldOrNew(out, one, two, context);
    // Files of version 1 that version 2 drops are stale: they may stay until a build completes.
    if (killed.status === 0) assert.deepEqual(contents(out), two, `${context}: a build that finished wrote exactly version 2`);
    outcomes[outcome] += 1;
  }
  t.diagnostic(`outcomes of ${instants.length} kills: ${JSON.stringify(outcomes)}`);
  const next = await build(out, 2);
  assert.equal(next.status, 0, next.stderr);
  assert.deepEqual(contents(out), two, 'the next build leaves exactly version 2: no temporary file, lock or stale file');
});

test('SIGINT and SIGTERM stop a build: exit 130 or 143, one line, the old tree exactly and nothing left behind', async () => {
  const { one, two, milliseconds } = await versions();
  const out = join(scratch(), 'grafana');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const instant of [0.5, 0.7, 0.9]) {
      assert.equal((await build(out, 1)).status, 0);
      const stopped = await build(out, 2, signal, Math.round(instant * milliseconds));
      const context = `${signal} at ${Math.round(instant * 100)} %`;
      if (stopped.status === 0) {
        assert.deepEqual(contents(out), two, `${context}: finished before the signal`);
        continue;
      }
      if (stopped.signal === signal) {
        // Node's own handling ended it: still starting up, before any file or lock, or already
        // done, after the commit. Either way one whole tree, never a mix.
        assert.equal(stopped.stderr, '', context);
        const tree = contents(out);
        assert.ok(
          isDeepStrictEqual(tree, one) || isDeepStrictEqual(tree, two),
          `${context}: neither the old tree nor the new one`,
        );
        continue;
      }
      assert.equal(stopped.status, signal === 'SIGINT' ? 130 : 143, `${context}: ${stopped.stderr}`);
      assert.equal(stopped.stderr, `build-dashboards: stopped by ${signal}; nothing was written\n`, context);
      assert.deepEqual(contents(out), one, `${context}: the old tree exactly, with no temporary file or lock`);
    }
  }
});

test('two builds into one folder at once: one fails naming the other, never a mix', async () => {
  const { one, two } = await versions();
  const out = join(scratch(), 'grafana');
  assert.equal((await build(out, 1)).status, 0);
  const [a, b] = await Promise.all([build(out, 1), build(out, 2)]);
  const failed = [a, b].filter((run) => run.status !== 0);
  for (const run of failed) {
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^build-dashboards: \S+grafana: another build-dashboards \(pid \d+\) is writing into it; wait for it to finish \(or remove \.inferboard\.lock there if none runs\)\n$/,
    );
  }
  if (failed.length === 0) return; // One finished before the other took the lock: each wrote a whole tree.
  assert.deepEqual(contents(out), a.status === 0 ? one : two);
});

test('a Grafana and a Prometheus bind-mounting the output see every rebuild and never a missing or partial file', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('mount --bind needs root (CI runs as root)');
    return;
  }
  const { one, two } = await versions();
  const out = join(scratch(), 'grafana');
  assert.equal((await build(out, 1)).status, 0);
  const mounts = { dashboards: join(scratch(), 'dashboards'), rules: join(scratch(), 'rules') };
  const mounted: string[] = [];
  t.after(() => {
    for (const point of mounted) execFileSync('umount', [point]);
  });
  for (const [source, point] of [
    ['dashboards', mounts.dashboards],
    ['prometheus/rules', mounts.rules],
  ] as const) {
    mkdirSync(point, { recursive: true });
    execFileSync('mount', ['--bind', join(out, source), point]);
    mounted.push(point);
  }
  // What Grafana's file provider reads: Go's filepath.Walk (each folder's entries in lexical
  // order, depth first), every .json parsed, by uid.
  const grafanaView = (folder = mounts.dashboards, uids = new Set<string>()): Set<string> => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      let text: string;
      try {
        if (statSync(path).isDirectory()) {
          grafanaView(path, uids);
          continue;
        }
        if (!name.endsWith('.json')) continue;
        text = readFileSync(path, 'utf8');
      } catch (error) {
        // Listed, then removed as stale before it was read: Grafana skips it the same way.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      uids.add((JSON.parse(text) as { uid: string }).uid);
    }
    return uids;
  };
  assert.equal(grafanaView().size, 1000);
  const kept = Object.keys(two)
    .filter((path) => path.endsWith('.json'))
    .map((path) => (JSON.parse(two[path] as string) as { uid: string }).uid);

  // Read the mount the whole time a rebuild runs, as Grafana's 30-second poll might at any instant.
  const rebuilding = build(out, 2);
  let done = false;
  void rebuilding.then(() => (done = true));
  let reads = 0;
  while (!done) {
    const seen = grafanaView();
    const missing = kept.filter((uid) => !seen.has(uid));
    assert.deepEqual(missing, [], 'dashboards both versions have were missing from the mount during the rebuild');
    reads += 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal((await rebuilding).status, 0);
  t.diagnostic(`${reads} reads of the mounted folder during the rebuild`);
  assert.equal(grafanaView().size, 900, 'the mount shows the rebuilt tree');
  const viaMount = Object.fromEntries(
    Object.entries(contents(mounts.dashboards)).map(([path, content]) => [`dashboards/${path}`, content]),
  );
  const expected = Object.fromEntries(Object.entries(two).filter(([path]) => path.startsWith('dashboards/')));
  assert.deepEqual(viaMount, expected, 'the mounted dashboards/ is exactly the new one');
  assert.deepEqual(readdirSync(mounts.rules), readdirSync(join(out, 'prometheus/rules')));
  assert.notDeepEqual(one, two);
});
