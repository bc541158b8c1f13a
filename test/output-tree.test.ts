/**
 * writeTree on a real file system: a rebuild carries unchanged files over and replaces the rest.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, writeTree } from '../src/output.js';
import { providerFile } from '../src/provisioning.js';

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
  assert.deepEqual(await listFiles(join(out, '..')), (await listFiles(out)).map((path) => `grafana/${path}`), 'no staging or previous folder is left');
});
