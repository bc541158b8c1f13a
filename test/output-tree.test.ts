/**
 * The output tree on a real file system: a rebuild carries unchanged files over and replaces the
 * rest; a staged tree that is discarded or fails to write leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, stageTree, writeTree } from '../src/build/output.js';
import { providerFile } from '../src/build/provisioning.js';

test('a rebuild keeps unchanged files (same inode and mtime) and rewrites only changed ones', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'inferboard-tree-')), 'grafana');
  const first = new Map([
    [providerFile, 'provider\n'],
    ['dashboards/a.json', 'a, first build\n'],
    ['dashboards/b.json', 'b, first build\n'],
    ['dashboards/c.json', 'c, first build\n'],
  ]);
  await writeTree(out, first);
  const before = (path: string) => statSync(join(out, path));
  const [a, b] = [before('dashboards/a.json'), before('dashboards/b.json')];
  // Edited by hand since the last build: the rebuild must not keep the edit.
  writeFileSync(join(out, 'dashboards/c.json'), 'c, edited by hand\n');

  await writeTree(out, new Map([...first, ['dashboards/b.json', 'b, second build\n']]));

  const after = (path: string) => statSync(join(out, path));
  assert.equal(after('dashboards/a.json').ino, a.ino, 'unchanged file is the same inode');
  assert.equal(after('dashboards/a.json').mtimeMs, a.mtimeMs, 'unchanged file keeps its mtime');
  assert.notEqual(after('dashboards/b.json').ino, b.ino, 'changed file is a new file');
  assert.equal(readFileSync(join(out, 'dashboards/b.json'), 'utf8'), 'b, second build\n');
  assert.equal(readFileSync(join(out, 'dashboards/c.json'), 'utf8'), 'c, first build\n');
  assert.deepEqual(await listFiles(out), ['dashboards/a.json', 'dashboards/b.json', 'dashboards/c.json', providerFile].sort());
  assert.deepEqual(
    await listFiles(join(out, '..')),
    (await listFiles(out)).map((path) => `grafana/${path}`),
    'no staging or previous folder is left',
  );
});

test('a staged tree stays invisible: discarded, or failing to write, it leaves the previous output as it was', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'inferboard-tree-')), 'grafana');
  const first = new Map([
    [providerFile, 'provider\n'],
    ['dashboards/a.json', 'a\n'],
  ]);
  await writeTree(out, first);
  const previous = async () =>
    Object.fromEntries(
      await Promise.all((await listFiles(out)).map(async (path) => [path, readFileSync(join(out, path), 'utf8')])),
    );
  const before = await previous();

  const discarded = await stageTree(out);
  discarded.add('dashboards/a.json', 'a, never committed\n');
  discarded.add('dashboards/b.json', 'b\n');
  await discarded.discard();
  assert.deepEqual(await previous(), before);

  // A file where the next one needs a folder: the writer thread fails, and commit says why.
  const broken = await stageTree(out);
  broken.add('dashboards/c.json', 'c\n');
  broken.add('dashboards/c.json/d.json', 'd\n');
  await assert.rejects(broken.commit(), /ENOTDIR|EEXIST/);
  assert.deepEqual(await previous(), before);
  assert.deepEqual(readdirSync(join(out, '..')), ['grafana'], 'no staging folder is left');

  const fresh = join(mkdtempSync(join(tmpdir(), 'inferboard-tree-')), 'a', 'b', 'grafana');
  const unused = await stageTree(fresh);
  await unused.discard();
  assert.equal(existsSync(join(fresh, '..', '..')), false, 'the folders made for the staged tree are removed with it');
});
